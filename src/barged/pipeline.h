/*
 * The data path of one input line: syslog parsing, payload matching and
 * validation, row encoding, and the spool (or the quarantine).  Every
 * outcome is counted in the metrics; nothing is logged per line.
 */
#ifndef BARGED_PIPELINE_H
#define BARGED_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "barged/metrics.h"
#include "core/schema.h"
#include "core/spool.h"

struct pipeline;

struct pipeline	*pipeline_new(struct spool *, struct metrics *,
		    bool quarantine);
void		 pipeline_free(struct pipeline *);
/* Definitions to match against (the caller keeps them alive). */
void		 pipeline_set_schema(struct pipeline *, const struct schema *);
void		 pipeline_set_quarantine(struct pipeline *, bool);
/* A linebuf/tail callback: arg is the pipeline. */
void		 pipeline_line(void *arg, const char *line, size_t len,
		    bool truncated);

#endif
