package random

import (
	"reflect"
	"testing"

	"github.com/evsim/evsim/model"
)

func TestCampaign(t *testing.T) {
	cfg := model.DefaultConfig()
	run := func(workers int, stop chan struct{}) *CampaignResult {
		t.Helper()
		opt := CampaignOptions{Seed: 3, Sequences: 20, Steps: 50, Workers: workers}
		if stop != nil {
			opt.Stop = stop
		}
		res, err := Campaign(model.Default(), cfg, opt)
		if err != nil {
			t.Fatal(err)
		}
		res.Elapsed = 0
		return res
	}
	one, three := run(1, nil), run(3, nil)
	if one.Sequences != 20 || one.Steps != 20*50 || one.Stopped != "" || one.Failure != nil {
		t.Errorf("got %d sequences, %d steps, stopped %q, failure %v", one.Sequences, one.Steps, one.Stopped, one.Failure)
	}
	if !reflect.DeepEqual(one, three) {
		t.Errorf("1 and 3 workers differ:\n%+v\n%+v", one, three)
	}
	if len(one.Coverage.Statuses) < 10 || one.Coverage.StatusSteps[0] == 0 {
		t.Errorf("coverage %v", one.Coverage.Statuses)
	}
	stop := make(chan struct{})
	close(stop)
	if res := run(2, stop); res.Stopped != "interrupt" || res.Sequences == 20 {
		t.Errorf("closed stop: stopped %q after %d sequences", res.Stopped, res.Sequences)
	}
	if BatchSeed(3, 0) == BatchSeed(3, 1) || BatchSeed(3, 0) == BatchSeed(4, 0) || BatchSeed(3, 0) < 0 {
		t.Error("batch seeds collide or are negative")
	}
	if _, err := Campaign(model.Default(), cfg, CampaignOptions{}); err == nil {
		t.Error("no sequences and no time: want an error")
	}
}
