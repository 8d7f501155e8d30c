// Command pulumi-language-go is a minimal Go language host for the Pulumi CLI, for this project's tests of the
// native vvp provider from Go programs.
//
// Why it exists: the upstream host module (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3) is not served
// by the Go module proxy this project can reach. Run builds the program directory with `go build -trimpath`
// (the `binary` runtime option names a prebuilt program instead) and runs it in the program directory with the
// settings the Go SDK reads from the environment: PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT, PULUMI_STACK,
// PULUMI_DRY_RUN, PULUMI_PARALLEL, PULUMI_ORGANIZATION, PULUMI_ROOT_DIRECTORY, PULUMI_CONFIG and
// PULUMI_CONFIG_SECRET_KEYS. Other RPCs answer Unimplemented.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"local/vvp-iac-tools/langhosts/internal/host"
)

// Version is set at link time (-X main.Version=...).
var Version = "0.0.0-dev"

type golang struct{}

func (golang) Run(ctx context.Context, engine string, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	prog, err := host.ProgramOf(req)
	if err != nil {
		return nil, err
	}
	binary := host.OptionString(req, "binary")
	if binary == "" {
		tmp, err := os.MkdirTemp("", "pulumi-go-program-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		binary = filepath.Join(tmp, "program")
		build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", binary, prog.Entry)
		build.Dir = prog.Dir
		var out strings.Builder
		build.Stdout, build.Stderr = &out, &out
		if err := build.Run(); err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("go build of %s failed: %v\n%s", prog.Dir, err, out.String())}, nil
		}
	} else if !filepath.IsAbs(binary) {
		binary = filepath.Join(prog.RootDir, binary)
	}
	env, err := host.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	env = append(env,
		"PULUMI_MONITOR="+req.GetMonitorAddress(), "PULUMI_ENGINE="+engine,
		"PULUMI_PROJECT="+req.GetProject(), "PULUMI_STACK="+req.GetStack(),
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.GetDryRun()),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.GetParallel())),
		"PULUMI_ORGANIZATION="+req.GetOrganization(), "PULUMI_ROOT_DIRECTORY="+prog.RootDir,
	)
	cmd := exec.CommandContext(ctx, binary, req.GetArgs()...)
	cmd.Dir = prog.Dir
	cmd.Env = append(os.Environ(), env...)
	return host.RunProgram(cmd), nil
}

func main() {
	host.Main("pulumi-language-go", Version, golang{})
}
