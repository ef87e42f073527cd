/*
 * trace_json.h: the dry run's trace as one JSON document
 * (--format=json), event by event; the schema is tests/spec/trace.schema.json.
 * effects_dryrun.c decides what happened, this file only writes it.
 */
#ifndef TRACE_JSON_H
#define TRACE_JSON_H

#include <stdio.h>

#include "../../grammar/ast.h"
#include "../../grammar/buf.h"
#include "../run/run.h"

/* Text from the message or a variable is cut to this many bytes. */
#define JT_TEXT_MAX	1024
/*
 * The events stop at this many bytes (a loop runs until its deadline,
 * an event a turn), as a real delivery's trace does by default; a last
 * note says so.
 */
#define JT_EVENTS_MAX	(1024 * 1024)

struct jtrace {
	struct buf	 events;	/* the events so far, ",\n" between */
	struct buf	 matches;	/* pattern hits waiting for their
					   decision */
	struct buf	 delivered;	/* the result's "delivered_to" items */
	struct buf	 result;	/* "outcome" and "error", once known */
	size_t		 start;		/* where the open event began */
	int		 cut;		/* JT_EVENTS_MAX was reached */
};

/* {"event": NAME and the place; jt_str/jt_raw add members; jt_end closes. */
void	jt_begin(struct jtrace *, const char *event, const struct pos *);
void	jt_str(struct jtrace *, const char *key, const char *s, size_t len);
void	jt_raw(struct jtrace *, const char *key, const char *json);
void	jt_end(struct jtrace *);

/* A pattern's hit: where ("header", "body", "string") and the line. */
void	jt_match(struct jtrace *, const char *where, const char *text);

/*
 * An evaluator's note: "SOURCE -> VALUE" becomes an "evaluated" event
 * carrying the pending hits (and match_var, MATCH after them); anything
 * else a "note".
 */
void	jt_note(struct jtrace *, const struct pos *, const char *what,
	    const char *match_var);

/* A delivery that would be made or would fail (err: its record). */
void	jt_delivery(struct jtrace *, const struct pos *, const char *how,
	    const char *path, const char *kind, const struct rt_error *err);

/* The outcome: "delivered", "not delivered" or "error" (err). */
void	jt_outcome(struct jtrace *, const char *outcome,
	    const struct rt_error *err);

/* Print the document, with the run's exit status; err if no outcome. */
void	jt_print(struct jtrace *, FILE *, int status,
	    const struct rt_error *err);
void	jt_free(struct jtrace *);

#endif
