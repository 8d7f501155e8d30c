// Command pulumi-language-python is a minimal Python language host for the Pulumi CLI, for this project's tests
// of the native vvp provider from Python programs.
//
// Why it exists: the upstream host module (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is
// not served by the Go module proxy this project can reach. The Python runner script it starts,
// pulumi-language-python-exec, ships in the sdk/v3 module (python/cmd); scripts/native-tools.sh installs it next
// to this binary. This host implements what `pulumi preview/up/refresh/destroy/import` of a Python program
// directory needs:
//
//   - GetPluginInfo: the CLI version it was built with.
//   - Run: `<python> -u <exec> --monitor ... --engine ... --project ... --stack ... --pwd ... --dry_run ...
//     --parallel ... <entry>` in the program directory, with the config in PULUMI_CONFIG and
//     PULUMI_CONFIG_SECRET_KEYS. The interpreter is `<virtualenv>/bin/python` for the `virtualenv` runtime option
//     (relative to the program directory), else python3 from PATH. Exit code 32 means "bail" (already reported).
//
// Everything else answers Unimplemented; the engine then loads providers on first use.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Version is set at link time (-X main.Version=...).
var Version = "0.0.0-dev"

// exit code with which pulumi-language-python-exec signals "the error was already reported".
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	execScript    string
}

func (h *host) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(Version, "v")}, nil
}

func optionString(info *pulumirpc.ProgramInfo, name string) string {
	if info == nil || info.GetOptions() == nil {
		return ""
	}
	if v, ok := info.GetOptions().GetFields()[name]; ok {
		return v.GetStringValue()
	}
	return ""
}

// interpreter is the virtualenv's python when the runtime option names one, else python3.
func interpreter(info *pulumirpc.ProgramInfo, programDir string) string {
	venv := optionString(info, "virtualenv")
	if venv == "" {
		return "python3"
	}
	if !filepath.IsAbs(venv) {
		root := programDir
		if info != nil && info.GetRootDirectory() != "" {
			root = info.GetRootDirectory()
		}
		venv = filepath.Join(root, venv)
	}
	return filepath.Join(venv, "bin", "python")
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir, entry := req.GetPwd(), "."
	if info != nil && info.GetProgramDirectory() != "" {
		programDir = info.GetProgramDirectory()
	}
	if info != nil && info.GetEntryPoint() != "" {
		entry = info.GetEntryPoint()
	}
	if programDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		programDir = wd
	}
	parallel := req.GetParallel()
	if parallel <= 0 {
		parallel = 1
	}
	args := []string{"-u", h.execScript,
		"--monitor", req.GetMonitorAddress(),
		"--engine", h.engineAddress,
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", programDir,
		"--dry_run", strconv.FormatBool(req.GetDryRun()),
		"--parallel", strconv.Itoa(int(parallel)),
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization", req.GetOrganization())
	}
	if info != nil && info.GetRootDirectory() != "" {
		args = append(args, "--root_directory", info.GetRootDirectory())
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	config, err := jsonOf(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := jsonOf(secretKeys)
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, interpreter(info, programDir), args...)
	cmd.Dir = programDir
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG="+config, "PULUMI_CONFIG_SECRET_KEYS="+secretJSON)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "-version") {
		fmt.Println(Version)
		return
	}
	// The engine passes flags (ignored here) and, last, its own gRPC address.
	engineAddress := ""
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
		}
	}
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

	// If the engine dies without shutting us down, we are re-parented: exit rather than linger.
	parent := os.Getppid()
	go func() {
		for range time.Tick(time.Second) {
			if os.Getppid() != parent {
				os.Exit(1)
			}
		}
	}()

	h := &host{engineAddress: engineAddress, execScript: execScript}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}
