package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/evsim/evsim/cmd/internal/graphcli"
)

func TestDispatch(t *testing.T) {
	var a, b, errA, errB bytes.Buffer
	if code := run([]string{"graph", "-format", "rst"}, &a, &errA); code != 0 {
		t.Fatalf("evsim graph: exit %d: %s", code, errA.String())
	}
	if code := graphcli.Run([]string{"-format", "rst"}, &b, &errB); code != 0 {
		t.Fatalf("graph: exit %d: %s", code, errB.String())
	}
	if a.String() != b.String() || a.Len() == 0 {
		t.Error("evsim graph and graph print different Table 1s")
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 2, "", "usage: evsim COMMAND"},
		{[]string{"-h"}, 0, "usage: evsim COMMAND", ""},
		{[]string{"chek"}, 2, "", `unknown command "chek"`},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errb.String(), tc.stderr) {
			t.Errorf("evsim %v: exit %d, stdout %q, stderr %q; want exit %d with %q / %q", tc.args, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
}
