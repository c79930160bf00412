package cli

import (
	"encoding/xml"
	"os"
	"strconv"
	"strings"
	"time"
)

// JUnit reports: one shape for every command, a <testsuites> root with no
// attributes holding <testsuite> elements, that validates against both
// schemas CI tools read JUnit with (the repository carries them in
// docs/schemas):
//
//   - the Jenkins xUnit plugin's junit-10.xsd: errors on every testsuite;
//   - the Apache Ant JUnit schema: on every testsuite name, timestamp
//     (without a time zone), hostname, tests, failures, errors, time, and
//     in an aggregated file package and id; the children properties,
//     testcase..., system-out and system-err in that order; on every
//     testcase name, classname and time; at most one of skipped, error or
//     failure, the last two with a type.
//
// Every suite carries the property evsim.version.

// JUnitSuites is the root of a JUnit report.
type JUnitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one suite. WriteJUnit fills ID, Package, Timestamp,
// Hostname and the counts.
type JUnitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []JUnitProperty `xml:"properties>property"`
	Cases      []JUnitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

// JUnitProperty is a name and a value of a suite.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one test case: at most one of Failure, Error and Skipped.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	Error     *JUnitProblem `xml:"error,omitempty"`
	Failure   *JUnitProblem `xml:"failure,omitempty"`
}

// JUnitProblem is a failure (a rule broken) or an error (the check could
// not run): a one-line message, a type and the detail as text.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnitSkipped is a test case that was not decided.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// Seconds formats a duration in seconds as the time attributes want it.
func Seconds(s float64) string { return strconv.FormatFloat(max(s, 0), 'f', 3, 64) }

// Now is the time a report is stamped with: SOURCE_DATE_EPOCH (seconds
// since 1970, the reproducible-builds convention) when set, else the
// clock; in UTC.
func Now() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(v, 0).UTC()
		}
	}
	return time.Now().UTC()
}

// MarshalJUnit completes the suites (ids, package, the time stamp and host
// name, counts, the evsim.version property, a time on every case) and
// encodes them with the XML header.
func MarshalJUnit(suites []JUnitSuite) ([]byte, error) {
	host, err := os.Hostname()
	if err != nil || strings.TrimSpace(host) == "" {
		host = "localhost"
	}
	stamp := Now().Format("2006-01-02T15:04:05")
	for i := range suites {
		s := &suites[i]
		s.ID = i
		if s.Package == "" {
			s.Package = "evsim"
		}
		s.Timestamp, s.Hostname = stamp, host
		if s.Time == "" {
			s.Time = Seconds(0)
		}
		s.Tests, s.Failures, s.Errors, s.Skipped = len(s.Cases), 0, 0, 0
		for j := range s.Cases {
			c := &s.Cases[j]
			if c.Time == "" {
				c.Time = Seconds(0)
			}
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		s.Properties = append([]JUnitProperty{{Name: "evsim.version", Value: Version()}}, s.Properties...)
	}
	data, err := xml.MarshalIndent(JUnitSuites{Suites: suites}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}
