// Command vvp-codegen generates the nodejs, python and go SDKs of the native vvp provider from a Pulumi package
// schema, offline, with the code generators of github.com/pulumi/pulumi/pkg/v3 (the version pinned in go.mod).
//
// Usage: vvp-codegen <nodejs|python|go> <package-schema.json> <out-dir>
//
// The output directory is emptied first, so a run is a full regeneration. The schema refers to no other
// package, so every loader call fails: a reference to another package is a bug in the schema.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "vvp-codegen"

// noReferences is a loader for a self-contained schema: it refuses every package.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the vvp schema must not reference package %q", pkg)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the vvp schema must not reference package %q", d.Name)
}

func (noReferences) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the vvp schema must not reference package %q", pkg)
}

func (noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the vvp schema must not reference package %q", d.Name)
}

func generate(lang string, spec schema.PackageSpec) (map[string][]byte, error) {
	languages := map[string]schema.Language{
		"nodejs": nodejsgen.Importer,
		"python": pythongen.Importer,
		"go":     gogen.Importer,
	}
	pkg, err := schema.ImportSpec(spec, languages, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("binding the schema: %w", err)
	}
	switch lang {
	case "nodejs":
		return nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
	case "python":
		return pythongen.GeneratePackage(tool, pkg, nil, noReferences{})
	case "go":
		return gogen.GeneratePackage(tool, pkg, nil)
	default:
		return nil, fmt.Errorf("unknown language %q (expected nodejs, python or go)", lang)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: %s <nodejs|python|go> <package-schema.json> <out-dir>", tool)
	}
	lang, schemaPath, out := args[0], args[1], args[2]
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	files, err := generate(lang, spec)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%s: %d files in %s\n", lang, len(names), out)
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
		os.Exit(1)
	}
}
