/*
 * mime_param.c: Content-Type parameters, plain and in the RFC 2231 forms
 * (extended, continued, both), and the plain form winning over them as
 * in maildrop.
 */
#include <stdio.h>
#include <string.h>

#include "../../grammar/buf.h"
#include "../../interp/message/msg_internal.h"
#include "unit.h"

/* want NULL: the parameter must be reported missing. */
static void
param(const char *name, const char *params, const char *attr,
    const char *want)
{
	struct buf b = BUF_INIT;
	int rc = mime_param(params, strlen(params), attr, &b);
	const char *got = rc == 0 ? buf_cstr(&b) : NULL;

	unit_check(want == NULL ? got == NULL : got != NULL &&
	    strcmp(got, want) == 0, name, "got \"%s\", want \"%s\"",
	    got != NULL ? got : "(none)", want != NULL ? want : "(none)");
	buf_free(&b);
}

int
main(void)
{
	param("plain", "; boundary=abc; charset=\"utf-8\"", "boundary",
	    "abc");
	param("plain-quoted", "; boundary=abc; charset=\"utf-8\"", "charset",
	    "utf-8");
	param("case-insensitive", "; BOUNDARY=abc", "boundary", "abc");
	param("missing", "; charset=utf-8", "boundary", NULL);
	param("empty", "; boundary=\"\"", "boundary", "");
	param("comments", " (c) ; (x) boundary (y) = abc (z)", "boundary",
	    "abc");
	param("extended", "; boundary*=us-ascii'en'a%2Db%3d", "boundary",
	    "a-b=");
	param("extended-no-charset", "; charset*=''iso-8859-1", "charset",
	    "iso-8859-1");
	param("extended-bad-escape", "; boundary*=''a%zz%4", "boundary",
	    "a%zz%4");
	param("continued", "; boundary*0=\"ab\"; boundary*1=cd", "boundary",
	    "abcd");
	param("continued-out-of-order", "; b*2=\"e\"; b*0=a; b*1=\"cd\"",
	    "b", "acde");
	param("continued-extended", "; charset*0*=us-ascii''iso%2D;"
	    " charset*1=\"8859-%31\"", "charset", "iso-8859-%31");
	param("continued-gap-stops", "; b*0=a; b*2=c", "b", "a");
	param("no-section-0", "; b*1=a", "b", NULL);
	param("not-a-section", "; b*x=a; bb*0=q", "b", NULL);
	param("plain-wins", "; boundary=\"XYZ\"; boundary*=''QQ", "boundary",
	    "XYZ");
	param("plain-wins-after", "; boundary*=''QQ; boundary=XYZ",
	    "boundary", "XYZ");
	param("huge-section", "; b*0=a; b*99999999999999999999=z", "b", "a");
	return unit_done();
}
