package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

const (
	repoRoot = "../.."
	ciDir    = repoRoot + "/docs/ci"
	pageFix  = repoRoot + "/diagram/table1/testdata/evs_01_0040.rst"
)

// evsimLines returns the evsim command lines of shell snippets.
func evsimLines(snippets []string) []string {
	var out []string
	for _, s := range snippets {
		for _, l := range strings.Split(s, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "evsim ") {
				out = append(out, l)
			}
		}
	}
	return out
}

// runLine runs one evsim command line of a CI file in-process, its
// variables set to the repository's spec and page and its report paths
// moved to dir, and returns the exit status.
func runLine(t *testing.T, line, dir string) int {
	t.Helper()
	for _, cut := range []string{" > ", " || ", " && "} {
		if i := strings.Index(line, cut); i >= 0 {
			line = line[:i]
		}
	}
	vars := strings.NewReplacer(`"$SPEC"`, repoRoot+"/model/evs.yaml", `"$PAGE"`, pageFix, "reports/", dir+"/")
	args := strings.Fields(vars.Replace(line))[1:]
	for _, a := range args {
		if strings.ContainsAny(a, `"'$`) {
			t.Fatalf("%s: argument %q left unexpanded", line, a)
		}
	}
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	if code != 0 {
		t.Logf("%s: exit %d\n%s%s", line, code, out.String(), errb.String())
	}
	return code
}

func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ciDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// checkInstall: the install line names this module's cmd/evsim.
func checkInstall(t *testing.T, snippets []string) {
	t.Helper()
	mod, err := os.ReadFile(repoRoot + "/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := strings.Fields(strings.SplitN(string(mod), "\n", 2)[0])[1]
	want := "go install " + module + "/cmd/evsim@latest"
	if !strings.Contains(strings.Join(snippets, "\n"), want) {
		t.Errorf("no %q", want)
	}
}

// TestGitHubWorkflow parses the workflow and runs every evsim command it
// names against the repository's spec and page: each must exit 0.
func TestGitHubWorkflow(t *testing.T) {
	var wf struct {
		On   map[string]any `yaml:"on"`
		Env  map[string]string
		Jobs map[string]struct {
			RunsOn string `yaml:"runs-on"`
			Steps  []struct {
				Name string
				Uses string
				Run  string
				With map[string]any
			}
		}
	}
	readYAML(t, "github-actions.yml", &wf)
	job, ok := wf.Jobs["check"]
	if !ok || job.RunsOn == "" || wf.On == nil {
		t.Fatalf("no check job with runs-on, or no trigger: %+v", wf)
	}
	if wf.Env["SPEC"] == "" || wf.Env["PAGE"] == "" {
		t.Error("SPEC and PAGE are not set")
	}
	var runs []string
	uploads := map[string]any{}
	for _, s := range job.Steps {
		if s.Run != "" {
			runs = append(runs, s.Run)
		}
		if s.Uses != "" {
			uploads[strings.SplitN(s.Uses, "@", 2)[0]] = s.With
		}
	}
	checkInstall(t, runs)
	for _, u := range []string{"actions/checkout", "actions/setup-go", "github/codeql-action/upload-sarif", "actions/upload-artifact"} {
		if _, ok := uploads[u]; !ok {
			t.Errorf("no step uses %s", u)
		}
	}
	lines := evsimLines(runs)
	if len(lines) != 3 {
		t.Fatalf("%d evsim commands, want 3", len(lines))
	}
	dir := t.TempDir()
	for _, l := range lines {
		if code := runLine(t, l, dir); code != 0 {
			t.Errorf("%s: exit %d, want 0 on the repository's spec and page", l, code)
		}
	}
	for _, f := range []string{"check.xml", "check.html", "docs.xml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the workflow's report %s was not written: %v", f, err)
		}
	}
}

// TestGitLabJob parses the job and runs its evsim commands.
func TestGitLabJob(t *testing.T) {
	var ci map[string]struct {
		Image     string
		Variables map[string]string
		Script    []string
		Artifacts struct {
			Reports struct {
				JUnit []string `yaml:"junit"`
			}
		}
	}
	readYAML(t, "gitlab-ci.yml", &ci)
	job, ok := ci["evsim"]
	if !ok || job.Image == "" || len(job.Artifacts.Reports.JUnit) != 2 {
		t.Fatalf("job %+v: want an image and two JUnit reports", job)
	}
	checkInstall(t, job.Script)
	dir := t.TempDir()
	lines := evsimLines(job.Script)
	if len(lines) != 2 {
		t.Fatalf("%d evsim commands, want 2", len(lines))
	}
	for _, l := range lines {
		if code := runLine(t, l, dir); code != 0 {
			t.Errorf("%s: exit %d, want 0", l, code)
		}
	}
	for _, r := range job.Artifacts.Reports.JUnit {
		if _, err := os.Stat(filepath.Join(dir, strings.TrimPrefix(r, "reports/"))); err != nil {
			t.Errorf("JUnit report %s not written: %v", r, err)
		}
	}
}

// TestPreCommitHook runs the hook in a scratch git repository with the
// built evsim on the PATH: it fails while the generated files are new,
// passes once they are committed, and fails again when the spec changes
// what they show.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds evsim")
	}
	var cfg struct {
		Repos []struct {
			Repo  string
			Hooks []struct {
				ID, Entry, Language string
				PassFilenames       *bool `yaml:"pass_filenames"`
			}
		}
	}
	readYAML(t, "pre-commit-config.yaml", &cfg)
	if len(cfg.Repos) != 1 || len(cfg.Repos[0].Hooks) != 1 || cfg.Repos[0].Hooks[0].Entry != "docs/ci/evsim-regenerate.sh" {
		t.Fatalf("config %+v", cfg)
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	script, err := filepath.Abs(filepath.Join(ciDir, "evsim-regenerate.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v\n%s", err, out)
	}
	bin := evsimBinary(t)
	dir := t.TempDir()
	spec, err := os.ReadFile(repoRoot + "/model/evs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "model"), 0o755)
	os.WriteFile(filepath.Join(dir, "model", "evs.yaml"), spec, 0o644)
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	cmd := func(name string, args ...string) (string, error) {
		c := exec.Command(name, args...)
		c.Dir, c.Env = dir, env
		out, err := c.CombinedOutput()
		return string(out), err
	}
	for _, a := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-qm", "spec"}} {
		if out, err := cmd(git, a...); err != nil {
			t.Fatalf("git %v: %v\n%s", a, err, out)
		}
	}
	if out, err := cmd(script); err == nil || !strings.Contains(out, "docs/generated/table1.rst") {
		t.Errorf("first run: %v\n%s\nwant a failure naming the new files", err, out)
	}
	for _, a := range [][]string{{"add", "."}, {"commit", "-qm", "generated"}} {
		if out, err := cmd(git, a...); err != nil {
			t.Fatalf("git %v: %v\n%s", a, err, out)
		}
	}
	if out, err := cmd(script); err != nil {
		t.Errorf("second run: %v\n%s\nwant success", err, out)
	}
	edited := strings.Replace(string(spec), "The EVS disk is being deleted.", "The EVS disk is being removed.", 1)
	if edited == string(spec) {
		t.Fatal("the edit did not apply")
	}
	os.WriteFile(filepath.Join(dir, "model", "evs.yaml"), []byte(edited), 0o644)
	if out, err := cmd(script); err == nil || !strings.Contains(out, "table1.rst") {
		t.Errorf("after editing the spec: %v\n%s\nwant a failure naming table1.rst", err, out)
	}
}

// TestDockerfile: a multi-stage build whose last stage is distroless or
// scratch and copies a binary built without cgo from ./cmd/evsim (the
// build TestInstalledBinary checks is static).
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile(repoRoot + "/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(text, -1)
	if len(froms) < 2 {
		t.Fatalf("%d stages, want a multi-stage build", len(froms))
	}
	base := froms[len(froms)-1][1]
	if m := regexp.MustCompile(`(?m)^ARG BASE=(\S+)`).FindStringSubmatch(text); base == "${BASE}" && m != nil {
		base = m[1]
	}
	if !strings.Contains(base, "distroless/static") && base != "scratch" {
		t.Errorf("final base %s: want distroless static or scratch", base)
	}
	build := regexp.MustCompile(`(?m)^RUN CGO_ENABLED=0 go build .*-o (\S+) \./cmd/evsim$`).FindStringSubmatch(text)
	if build == nil {
		t.Fatal("no RUN CGO_ENABLED=0 go build ... -o PATH ./cmd/evsim")
	}
	if !strings.Contains(text, "COPY --from=build "+build[1]+" ") {
		t.Errorf("the final stage does not copy %s", build[1])
	}
	if _, err := os.Stat(repoRoot + "/.dockerignore"); err != nil {
		t.Error(err)
	}
}
