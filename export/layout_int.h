/*
 * layout_int.h - what the parts of the diagram layout share (layout.c lays
 * out shapes and routes flows, layout_label.c places the flows' labels).
 */
#ifndef STEPMAP_EXPORT_LAYOUT_INT_H
#define STEPMAP_EXPORT_LAYOUT_INT_H

#include "export/layout.h"

/*
 * Place every named edge's label_box beside its own flow (see
 * layout_label.c), once shapes, node labels and waypoints are final; the
 * others get an empty box. STATUS_NOMEM only.
 */
enum status layout_place_labels(struct layout *L);

#endif
