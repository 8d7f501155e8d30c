// Package host is the shared part of this project's minimal Pulumi language hosts (python, golang): serving the
// LanguageRuntime gRPC service, reading the program location from a RunRequest, passing the stack config the way
// the language SDKs read it, and mapping the program's exit code to a RunResponse.
package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// BailExitCode is the exit code with which a program signals "the error was already reported".
const BailExitCode = 32

// Program is where the engine says the program is.
type Program struct {
	Dir, Entry, RootDir string
}

// ProgramOf reads the program directory, entry point and project root of a RunRequest.
func ProgramOf(req *pulumirpc.RunRequest) (Program, error) {
	info := req.GetInfo()
	p := Program{Dir: req.GetPwd(), Entry: "."}
	if info != nil {
		if info.GetProgramDirectory() != "" {
			p.Dir = info.GetProgramDirectory()
		}
		if info.GetEntryPoint() != "" {
			p.Entry = info.GetEntryPoint()
		}
		p.RootDir = info.GetRootDirectory()
	}
	if p.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return p, err
		}
		p.Dir = wd
	}
	if p.RootDir == "" {
		p.RootDir = p.Dir
	}
	return p, nil
}

// OptionString is a string runtime option of Pulumi.yaml (runtime.options.<name>), or "".
func OptionString(req *pulumirpc.RunRequest, name string) string {
	info := req.GetInfo()
	if info == nil || info.GetOptions() == nil {
		return ""
	}
	if v, ok := info.GetOptions().GetFields()[name]; ok {
		return v.GetStringValue()
	}
	return ""
}

// ConfigEnv is PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS as JSON (never null).
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	keys := req.GetConfigSecretKeys()
	if keys == nil {
		keys = []string{}
	}
	c, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	k, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(c), "PULUMI_CONFIG_SECRET_KEYS=" + string(k)}, nil
}

// RunProgram runs cmd (output to ours, killed with us) and maps its outcome to a RunResponse.
func RunProgram(cmd *exec.Cmd) *pulumirpc.RunResponse {
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == BailExitCode {
				return &pulumirpc.RunResponse{Bail: true}
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}
		}
		return &pulumirpc.RunResponse{Error: err.Error()}
	}
	return &pulumirpc.RunResponse{}
}

// Runner is what a language adds: how to run one program.
type Runner interface {
	Run(ctx context.Context, engineAddress string, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error)
}

type server struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	name, version, engineAddress string
	runner                       Runner
}

func (s *server) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(s.version, "v")}, nil
}

func (s *server) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return s.runner.Run(ctx, s.engineAddress, req)
}

// Main serves the language host named `name` (e.g. pulumi-language-python): prints the port on the first stdout
// line, exits when the engine goes away. `--version` prints the version.
func Main(name, version string, runner Runner) {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "-version") {
		fmt.Println(version)
		return
	}
	// The engine passes flags (ignored here) and, last, its own gRPC address.
	engineAddress := ""
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
		}
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
	s := &server{name: name, version: version, engineAddress: engineAddress, runner: runner}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, s)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: could not start: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}
