// argocd-lua-health runs an Argo CD resource health script the way Argo CD does: with gopher-lua, only the
// package, base and table libraries opened, the resource as the global `obj` (JSON objects become tables, arrays
// become 1-based sequences), a one-second budget, and the script's return value read as { status, message }.
//
// Usage: argocd-lua-health SCRIPT.lua < objects.json
//
//	objects.json is a JSON array of Kubernetes objects. The output is a JSON array of
//	{"status": ..., "message": ...} in the same order, or {"error": ...} for a script failure.
//
// Exit code: 0 when every object was evaluated (script errors are reported per object), 2 on usage errors.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// result is one evaluation: the health Argo CD would show, or the script error.
type result struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Statuses Argo CD accepts from a health script (anything else is an error there).
var validStatus = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: argocd-lua-health SCRIPT.lua < objects.json")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "argocd-lua-health: %v\n", err)
		os.Exit(2)
	}
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "argocd-lua-health: reading stdin: %v\n", err)
		os.Exit(2)
	}
	var objects []map[string]interface{}
	if err := json.Unmarshal(input, &objects); err != nil {
		fmt.Fprintf(os.Stderr, "argocd-lua-health: stdin is not a JSON array of objects: %v\n", err)
		os.Exit(2)
	}
	results := make([]result, 0, len(objects))
	for _, obj := range objects {
		results = append(results, evaluate(string(script), obj))
	}
	out, _ := json.MarshalIndent(results, "", "  ")
	fmt.Println(string(out))
}

func evaluate(script string, obj map[string]interface{}) (res result) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", decode(l, obj))
	if err := l.DoString(script); err != nil {
		return result{Error: err.Error()}
	}
	table, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return result{Error: fmt.Sprintf("the script returned %s, not a table", l.Get(-1).Type())}
	}
	status := lua.LVAsString(table.RawGetString("status"))
	if !validStatus[status] {
		return result{Error: fmt.Sprintf("the script returned status %q, which Argo CD does not know", status)}
	}
	return result{Status: status, Message: lua.LVAsString(table.RawGetString("message"))}
}

// decode converts a JSON value into Lua values the way Argo CD's lua package does.
func decode(l *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case map[string]interface{}:
		t := l.NewTable()
		for key, item := range v {
			t.RawSetString(key, decode(l, item))
		}
		return t
	case []interface{}:
		t := l.NewTable()
		for _, item := range v {
			t.Append(decode(l, item))
		}
		return t
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case bool:
		return lua.LBool(v)
	default:
		return lua.LNil
	}
}
