package table1

import _ "embed"

// The project's pinned copy of the EVS Disk Status page, the source of
// Table 1, against which a spec's derived table is compared.
//
//go:embed testdata/evs_01_0040.rst
var pinned []byte

// PinnedName is the file name the pinned page is reported under.
const PinnedName = "evs_01_0040.rst"

// Pinned returns the project's pinned copy of the EVS Disk Status page.
func Pinned() []byte { return append([]byte(nil), pinned...) }
