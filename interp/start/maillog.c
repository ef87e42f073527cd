/*
 * maillog.c: one line to syslog per message in delivery mode, so that an
 * admin reading /var/log/mail.log sees where each message went or why it
 * stayed with the MTA, not only what the MTA quotes.  The Message-ID and
 * the mailbox names come from the sender and the filter: every field is
 * cut short and anything but printable ASCII becomes '?', so no text of
 * theirs can forge a second log line or smuggle terminal escapes.
 */
#include <string.h>
#include <syslog.h>

#include "../../grammar/buf.h"
#include "../deliver/logrec.h"
#include "../message/message.h"
#include "maillog.h"

#define FIELD_MAX	256	/* bytes of one field in the line */

int
maillog_wanted(const struct run *r, const char *setting)
{
	if (r->trace != NULL)
		return 0;
	if (setting != NULL && *setting != '\0')
		return strcmp(setting, "0") != 0;
	return r->mode == MODE_DELIVERY;
}

/*
 * Printable ASCII only, at most FIELD_MAX bytes ("..." when cut), the
 * blanks around it gone.
 */
static void
field(struct buf *out, const char *s, size_t n)
{
	size_t i;

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n'))
		n--;

	for (i = 0; i < n && i < FIELD_MAX; i++)
		buf_addc(out, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
	if (n > FIELD_MAX)
		buf_adds(out, "...");
}

void
maillog_run(const struct run *r, const char *user, int status)
{
	struct buf line = BUF_INIT, id = BUF_INIT, detail = BUF_INIT;
	const char *nl;

	if (r->msg != NULL)
		logrec_header(r->msg, "Message-ID", &id);
	buf_adds(&line, "user=");
	field(&line, user != NULL ? user : "?", user != NULL ?
	    strlen(user) : 1);
	buf_adds(&line, ", msgid=");
	if (id.len > 0)
		field(&line, id.p, id.len);
	else
		buf_adds(&line, "none");
	if (r->msg != NULL)
		buf_printf(&line, ", size=%lld", (long long)msg_size(r->msg));
	if (r->log_to.len > 0) {
		buf_adds(&line, ", delivered to ");
		field(&line, r->log_to.p, r->log_to.len);
	} else if (status == 0)
		buf_adds(&line, ", delivered nowhere (the filter ended it)");
	if (status != 0 && r->err.compat.len > 0) {
		/* maildrop's line, then the first line of runnel's detail. */
		buf_adds(&line, ", error: ");
		field(&line, r->err.compat.p, r->err.compat.len);
		rt_error_lines(&r->err, &detail);
		if (detail.len > 0) {
			nl = memchr(detail.p, '\n', detail.len);
			buf_adds(&line, " (");
			field(&line, detail.p, nl != NULL ?
			    (size_t)(nl - detail.p) : detail.len);
			buf_adds(&line, ")");
		}
		buf_free(&detail);
	}
	buf_printf(&line, ", status=%d", status);
	openlog("runnel", LOG_PID, LOG_MAIL);
	syslog(status == 0 ? LOG_INFO : LOG_WARNING, "%s", line.p);
	closelog();
	buf_free(&line);
	buf_free(&id);
}
