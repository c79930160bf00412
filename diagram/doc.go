// Package diagram draws the EVS disk status diagram and regenerates Table 1
// from a [model.Spec], so that neither can drift from the model.
//
// # The diagram
//
// [Build] turns a spec into a [Graph]: the statuses (grouped and styled by
// class: stable, transitional, failed, parked), a start node for creation
// and an end node for deletion, and the arrows of [model.Spec.Edges],
// merged where several operations draw the same arrow. A start arrow is
// labelled with the operation's title ("Attaching a disk"); a completion
// arrow with its outcome ("succeeded", "failed", or "succeeded or failed"
// when both lead to the same status), qualified where the same status
// leads to several places ("(when not attached)", "(otherwise)", or the
// operation). Failure arrows are red, operator arrows purple with an
// "operator:" prefix, and an arrow drawn dashed rests only on an
// inference: no source states it. A solid arrow rests on Table 1, Figure
// 1, another page of the documentation or OpenStack Cinder.
//
// Two views exist. [Full] draws every status and every operation, left to
// right: creation; the stable status a creation ends in (Available); the
// work in progress (and the parked status); the other stable status
// (In-use); the failed statuses and the end. The work sits between the
// two stable statuses it joins, so that attaching reads left to right,
// detaching right to left, and the arrows of the two sides do not cross.
// Between the stable statuses and the work column the arrows are many, so
// the DOT writer puts the operation that starts a piece of work in small
// print in its box and labels those arrows only with their condition,
// written by the status the arrow leaves. The columns are ordered so that
// each failed status faces the work that fails into it, the failure
// marked at its arrowhead; the legend shares the last column with the
// end. [Figure1] reproduces
// Figure 1 of the EVS Disk Status page from the model: the path of a plain
// disk (not shared, a data disk) through the operations whose basis cites
// Figure 1 (creating, attaching, detaching), keeping only the arrows whose
// basis is Table 1 or cites Figure 1, with a decision node where an
// operation both succeeds and fails, and the figure's wording
// ("Attaching succeeded").
//
// # Formats
//
// [Graph.WriteDOT] writes Graphviz DOT, [Graph.WriteMermaid] a Mermaid
// stateDiagram-v2 and [Graph.WriteJSON] the statuses with their allowed
// operations and the arrows with their basis. [WriteRST] writes Table 1 in
// the page's own grid-table layout, [WriteMarkdown] as a Markdown table.
// Every writer is deterministic: the same spec gives the same bytes.
package diagram
