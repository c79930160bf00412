package scenarios

import (
	"bufio"
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// The statements of the shipped scenarios' comments that a program can
// check, and how:
//
//   - a rate's comment "from A, B and C" (or "A, B and C disks only") lists every status from which
//     the operation's requests may start: the statuses with a from entry
//     of the operation in the model that a disk of the scenario can reach
//     and no remedy in the scenario (in a status with a remedy no request
//     arrives);
//   - a remedy's comment "stays there for good" (by: none) says that no
//     request of the scenario may start from the status;
//   - a remedy's comment naming "the customer" or "customer service" says
//     who acts (by: customer or by: operator).
var (
	fromList   = regexp.MustCompile(`^from ([A-Z][A-Za-z -]*?(?:(?:, | and )[A-Z][A-Za-z -]*?)*)(?: \(|$)`)
	onlyList   = regexp.MustCompile(`^([A-Z][A-Za-z -]*?(?:(?:, | and )[A-Z][A-Za-z -]*?)*) disks only`)
	listSplit  = regexp.MustCompile(`, | and `)
	entryLine  = regexp.MustCompile(`^  ([A-Za-z_][A-Za-z_ -]*):[^#]*#\s*(.*)$`)
	sectionHdr = regexp.MustCompile(`^([a-z_]+):`)
)

type statement struct {
	line          int
	section, key  string
	comment, file string
}

func statements(name string, src []byte) []statement {
	var out []statement
	sc := bufio.NewScanner(bytes.NewReader(src))
	section := ""
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if m := sectionHdr.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		if m := entryLine.FindStringSubmatch(line); m != nil {
			out = append(out, statement{line: n, section: section, key: strings.TrimSpace(m[1]), comment: m[2], file: name})
		}
	}
	return out
}

// TestScenarioStatements checks the statements above in every shipped
// scenario, and that markov-check makes the ones its opening comment
// relies on.
func TestScenarioStatements(t *testing.T) {
	spec := model.Default()
	checked := map[string]int{}
	for _, name := range Names() {
		src, _ := Source(name)
		sc, err := Get(name, spec)
		if err != nil {
			t.Fatal(err)
		}
		c := sc.Config
		for _, s := range statements(name, src) {
			where := func() string { return name + ".yaml:" + strconv.Itoa(s.line) + ": " + s.section + "." + s.key }
			switch s.section {
			case "rates":
				m := fromList.FindStringSubmatch(s.comment)
				if m == nil {
					m = onlyList.FindStringSubmatch(s.comment)
				}
				if m == nil {
					continue
				}
				op, ok := spec.OpByName(s.key)
				if !ok {
					t.Errorf("%s: no such operation", where())
					continue
				}
				said := listSplit.Split(m[1], -1)
				sort.Strings(said)
				var is []string
				reach := reachable(c)
				for _, f := range spec.Ops[op].From {
					if reach[f.Status] && c.Remedies[f.Status].By == sim.NoRemedy {
						is = append(is, spec.StatusName(f.Status))
					}
				}
				is = dedup(is)
				if strings.Join(said, ",") != strings.Join(is, ",") {
					t.Errorf("%s: the comment says requests start from %v; they start from %v", where(), said, is)
				}
				checked[name]++
			case "remedies":
				st, ok := spec.StatusByName(s.key)
				if !ok {
					continue
				}
				rm := c.Remedies[st]
				if strings.Contains(s.comment, "for good") {
					checked[name]++
					if rm.By != sim.NoRemedy {
						t.Errorf("%s: the comment says the disk stays for good; its remedy is by %s", where(), rm.By)
					}
					for oi, r := range c.Rates {
						if r <= 0 {
							continue
						}
						for _, f := range spec.Ops[oi].From {
							if f.Status == st {
								t.Errorf("%s: the comment says the disk stays for good; %s starts from there at a rate of %g", where(), spec.Ops[oi].Name, r)
							}
						}
					}
				}
				switch {
				case strings.Contains(s.comment, "customer service"):
					checked[name]++
					if rm.By != sim.ByOperator {
						t.Errorf("%s: the comment names customer service; the remedy is by %s", where(), rm.By)
					}
				case strings.HasPrefix(s.comment, "the customer"):
					checked[name]++
					if rm.By != sim.ByCustomer {
						t.Errorf("%s: the comment names the customer; the remedy is by %s", where(), rm.By)
					}
					if strings.Contains(s.comment, "creates it again") != rm.Recreate {
						t.Errorf("%s: the comment and recreate: %v disagree", where(), rm.Recreate)
					}
				}
			}
		}
	}
	if checked["markov-check"] < 3 {
		t.Errorf("markov-check: %d statements checked; want its rate and remedy statements (3 or more)", checked["markov-check"])
	}
	for _, n := range []string{"baseline", "million"} {
		if checked[n] == 0 {
			t.Errorf("%s: no statement checked", n)
		}
	}
}

// reachable over-approximates the statuses a disk of c can reach: the
// stable statuses, and every step and status target of an operation in
// play (with a rate, in the growth mix or in a remedy).
func reachable(c *sim.Config) []bool {
	spec := c.Spec
	out := make([]bool, len(spec.Statuses))
	for i, st := range spec.Statuses {
		out[i] = st.Class == model.Stable
	}
	play := make([]bool, len(spec.Ops))
	for i, r := range c.Rates {
		play[i] = r > 0
	}
	for _, m := range c.CreationMix {
		play[m.Op] = play[m.Op] || m.Weight > 0
	}
	for _, rm := range c.Remedies {
		for _, op := range rm.Ops {
			play[op] = true
		}
	}
	mark := func(ts []model.Target) {
		for _, t := range ts {
			if t.Kind == model.ToStatus {
				out[t.Status] = true
			}
		}
	}
	for i, o := range spec.Ops {
		if !play[i] {
			continue
		}
		mark(o.Success)
		mark(o.Failure)
		for _, st := range o.Steps {
			out[st.Status] = true
			mark(st.Failure)
		}
	}
	return out
}

func dedup(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
