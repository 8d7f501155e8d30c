// Command pulumi-resource-kubernetes builds the Pulumi Kubernetes provider from its Go module.
//
// Upstream's main package embeds schema-embed.json and terraform-mapping-embed.json, which its
// build generates and which therefore are not in the module zip. scripts/tools.sh copies the
// module's schema.json and terraform-mapping.json next to this file in a scratch directory under
// those names and builds there; nothing generated is committed here.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
