// lua-harness runs an Argo CD resource health check the way Argo CD does: gopher-lua (Lua 5.1) with only the
// base, table, string and math libraries open, the object as the global `obj`, and the returned table's
// `status` and `message` read back. Used by charts/gitops/health.test.ts; not shipped.
//
//	lua-harness <script.lua> < objects.json   (a JSON array of objects; prints a JSON array of results)
package main

import (
	"encoding/json"
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
)

type result struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

func toLua(L *lua.LState, v interface{}) lua.LValue {
	switch x := v.(type) {
	case map[string]interface{}:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []interface{}:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case float64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	default:
		return lua.LNil
	}
}

func run(script string, obj interface{}) result {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		return result{Error: err.Error()}
	}
	t, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return result{Error: "script did not return a table"}
	}
	return result{Status: t.RawGetString("status").String(), Message: t.RawGetString("message").String()}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: lua-harness <script.lua> < objects.json")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var objs []interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&objs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := make([]result, 0, len(objs))
	for _, o := range objs {
		out = append(out, run(string(script), o))
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
