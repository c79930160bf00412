// Package table1 reads Table 1 ("Disk status details") of the EVS Disk Status
// page, a reStructuredText grid table with the columns EVS Disk Status,
// Status Description and Allowed Operation, and compares it with the table
// the model derives ([model.Spec.Table1]).
//
// # The format
//
// [Parse] finds, anywhere in a page, the first grid table whose header row
// names those three columns. Each body row is one status. Inside a cell it
// understands what the page uses: paragraphs (lines joined by one space),
// bullet lists ("-  Detaching", continuation lines indented under the item),
// and ".. note::" blocks whose body is paragraphs or a bullet list. In the
// Allowed Operation cell, "None" means no operation and a lone paragraph is
// one operation (the page writes "Deleting" without a bullet). Column spans
// and other directives are rejected with an error that points at the line
// and column, as file:line:col: what is wrong.
//
// # Comparing
//
// [Compare] lists every cell where a page and the model disagree: a status
// missing from the page or extra on it, an allowed operation or a note
// missing or extra, a description that differs. Each [Difference] points at
// the page's line. Order within a cell is not compared.
package table1
