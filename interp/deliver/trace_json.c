/*
 * trace_json.c: the JSON form of the dry run's trace.  Events are kept
 * in order and the document is printed once, at the end, so that a run
 * that stops early still gives one whole document.
 */
#include <string.h>

#include "../../grammar/json.h"
#include "trace_json.h"

/* Cut at JT_TEXT_MAX, on a UTF-8 character's start. */
static size_t
bounded(const char *s, size_t len)
{
	if (len <= JT_TEXT_MAX)
		return len;
	len = JT_TEXT_MAX;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

void
jt_begin(struct jtrace *j, const char *event, const struct pos *at)
{
	j->start = j->events.len;
	if (j->events.len > 0)
		buf_adds(&j->events, ",\n    ");
	buf_adds(&j->events, "{\"event\": ");
	json_str(&j->events, event, strlen(event));
	if (at != NULL && at->file != NULL && at->line > 0) {
		buf_adds(&j->events, ", ");
		json_pos(&j->events, at);
	}
}

void
jt_str(struct jtrace *j, const char *key, const char *s, size_t len)
{
	size_t n = bounded(s, len);

	buf_adds(&j->events, ", ");
	json_str(&j->events, key, strlen(key));
	buf_adds(&j->events, ": ");
	json_str(&j->events, s, n);
	if (n < len)
		buf_printf(&j->events, ", \"%s_bytes\": %zu", key, len);
}

void
jt_raw(struct jtrace *j, const char *key, const char *json)
{
	buf_adds(&j->events, ", ");
	json_str(&j->events, key, strlen(key));
	buf_printf(&j->events, ": %s", json);
}

void
jt_end(struct jtrace *j)
{
	buf_addc(&j->events, '}');
	/* past the bound, an event is taken back whole */
	if (j->cut || j->events.len > JT_EVENTS_MAX) {
		j->cut = 1;
		j->events.len = j->start;
		j->events.p[j->start] = '\0';
	}
}

void
jt_match(struct jtrace *j, const char *where, const char *text)
{
	if (j->matches.len > 0)
		buf_adds(&j->matches, ", ");
	buf_adds(&j->matches, "{\"where\": ");
	json_str(&j->matches, where, strlen(where));
	buf_adds(&j->matches, ", \"text\": ");
	json_str(&j->matches, text, bounded(text, strlen(text)));
	buf_addc(&j->matches, '}');
}

void
jt_note(struct jtrace *j, const struct pos *at, const char *what,
    const char *match_var)
{
	const char *arrow = NULL, *p;
	struct buf m = BUF_INIT;

	for (p = what; (p = strstr(p, " -> ")) != NULL; p++)
		arrow = p;
	if (arrow == NULL) {
		jt_begin(j, "note", at);
		jt_str(j, "text", what, strlen(what));
		jt_end(j);
		return;
	}
	jt_begin(j, "evaluated", at);
	jt_str(j, "source", what, (size_t)(arrow - what));
	jt_str(j, "value", arrow + 4, strlen(arrow + 4));
	if (j->matches.len > 0) {
		buf_printf(&m, "[%s]", j->matches.p);
		jt_raw(j, "matches", m.p);
		if (match_var != NULL)
			jt_str(j, "MATCH", match_var, strlen(match_var));
		buf_reset(&j->matches);
	}
	jt_end(j);
	buf_free(&m);
}

void
jt_delivery(struct jtrace *j, const struct pos *at, const char *how,
    const char *path, const char *kind, const struct rt_error *err)
{
	struct buf e = BUF_INIT;

	jt_begin(j, "delivery", at);
	jt_str(j, "how", how, strlen(how));
	jt_str(j, "path", path, strlen(path));
	jt_str(j, "kind", kind, strlen(kind));
	jt_str(j, "outcome", err != NULL ? "would fail" : "would deliver",
	    err != NULL ? 10 : 13);
	if (err != NULL) {
		rt_error_json(err, &e);
		jt_raw(j, "error", e.p);
	} else {
		if (j->delivered.len > 0)
			buf_adds(&j->delivered, ", ");
		json_str(&j->delivered, path, strlen(path));
	}
	jt_end(j);
	buf_free(&e);
}

void
jt_outcome(struct jtrace *j, const char *outcome, const struct rt_error *err)
{
	buf_reset(&j->result);
	buf_adds(&j->result, "\"outcome\": ");
	json_str(&j->result, outcome, strlen(outcome));
	if (err != NULL && err->set) {
		buf_adds(&j->result, ", \"error\": ");
		rt_error_json(err, &j->result);
	}
}

void
jt_print(struct jtrace *j, FILE *f, int status, const struct rt_error *err)
{
	if (j->result.len == 0)
		jt_outcome(j, err != NULL && err->set ? "error" :
		    "not delivered", err);
	if (j->cut)
		buf_printf(&j->events, ",\n    {\"event\": \"note\", \"text\": "
		    "\"the trace stops here: its events reached %d bytes\"}",
		    JT_EVENTS_MAX);
	fprintf(f, "{\n  \"format\": \"runnel-dry-run\",\n"
	    "  \"version\": 1,\n  \"events\": [%s%s%s],\n"
	    "  \"result\": {%s, \"delivered_to\": [%s], \"exit\": %d}\n}\n",
	    j->events.len ? "\n    " : "", j->events.len ? j->events.p : "",
	    j->events.len ? "\n  " : "", j->result.p,
	    j->delivered.len ? j->delivered.p : "", status);
	fflush(f);
}

void
jt_free(struct jtrace *j)
{
	buf_free(&j->events);
	buf_free(&j->matches);
	buf_free(&j->delivered);
	buf_free(&j->result);
}
