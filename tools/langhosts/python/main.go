// Command pulumi-language-python is a minimal Python language host for the Pulumi CLI, for this project's tests
// of the native vvp provider from Python programs.
//
// Why it exists: the upstream host module (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is
// not served by the Go module proxy this project can reach. The Python runner script it starts,
// pulumi-language-python-exec, ships in the sdk/v3 module (python/cmd); scripts/native-tools.sh installs it next
// to this binary. Run starts `<python> -u <exec> --monitor ... --engine ... --project ... --stack ... --pwd ...
// --dry_run ... --parallel ... <entry>` in the program directory, with the config in PULUMI_CONFIG and
// PULUMI_CONFIG_SECRET_KEYS. The interpreter is `<virtualenv>/bin/python` for the `virtualenv` runtime option
// (relative to the project root), else python3 from PATH. Other RPCs answer Unimplemented; the engine then loads
// providers on first use.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"local/vvp-iac-tools/langhosts/internal/host"
)

// Version is set at link time (-X main.Version=...).
var Version = "0.0.0-dev"

type python struct{ execScript string }

func (p python) Run(ctx context.Context, engine string, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	prog, err := host.ProgramOf(req)
	if err != nil {
		return nil, err
	}
	interpreter := "python3"
	if venv := host.OptionString(req, "virtualenv"); venv != "" {
		if !filepath.IsAbs(venv) {
			venv = filepath.Join(prog.RootDir, venv)
		}
		interpreter = filepath.Join(venv, "bin", "python")
	}
	parallel := req.GetParallel()
	if parallel <= 0 {
		parallel = 1
	}
	args := []string{"-u", p.execScript,
		"--monitor", req.GetMonitorAddress(), "--engine", engine,
		"--project", req.GetProject(), "--stack", req.GetStack(), "--pwd", prog.Dir,
		"--dry_run", strconv.FormatBool(req.GetDryRun()), "--parallel", strconv.Itoa(int(parallel)),
		"--root_directory", prog.RootDir,
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization", req.GetOrganization())
	}
	args = append(append(args, prog.Entry), req.GetArgs()...)
	env, err := host.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, interpreter, args...)
	cmd.Dir = prog.Dir
	cmd.Env = append(os.Environ(), env...)
	return host.RunProgram(cmd), nil
}

func main() {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
	execScript := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(execScript); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %s is missing (scripts/native-tools.sh installs it)\n", execScript)
		os.Exit(1)
	}
	host.Main("pulumi-language-python", Version, python{execScript: execScript})
}
