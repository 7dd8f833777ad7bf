module github.com/plughost/plughost

go 1.26

require (
	github.com/Masterminds/semver/v3 v3.5.0
	github.com/ebitengine/purego v0.11.3
	github.com/goccy/go-yaml v1.19.2
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	golang.org/x/text v0.14.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
