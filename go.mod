module github.com/plughost/plughost

go 1.26

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/ebitengine/purego v0.11.3 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	go.uber.org/goleak v1.3.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)
