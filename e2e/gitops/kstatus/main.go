// kstatus computes the kstatus result of Kubernetes objects with the reference implementation
// (sigs.k8s.io/cli-utils/pkg/kstatus/status: what Flux's kustomize-controller, kpt and Config Sync use),
// so e2e/gitops/kstatus.test.ts checks Aurum's status against it rather than against our own reading.
//
//	kstatus < objects.json   (a JSON array of objects; prints a JSON array of {status, message})
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

func main() {
	// utiljson turns whole numbers into int64, as the API machinery expects (encoding/json gives float64).
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var objs []map[string]interface{}
	if err := utiljson.Unmarshal(input, &objs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := make([]result, 0, len(objs))
	for _, o := range objs {
		r, err := status.Compute(&unstructured.Unstructured{Object: o})
		if err != nil {
			out = append(out, result{Error: err.Error()})
			continue
		}
		out = append(out, result{Status: r.Status.String(), Message: r.Message})
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
