module github.com/plughost/plughost/testdata/goplugins

go 1.26

require github.com/falcosecurity/plugin-sdk-go v0.8.3
