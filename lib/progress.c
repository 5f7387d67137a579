#include "progress.h"

#include "clock.h"
#include "log.h"

#include <stdio.h>
#include <unistd.h>

#define TICK_MASK 4095u /* look at the clock every 4096 calls */
#define REDRAW 0.5      /* seconds between redraws */

void progress_start(struct progress *p, const char *label, uint64_t total, int quiet)
{
	*p = (struct progress){.label = label, .total = total};
	p->on = !quiet && isatty(STDERR_FILENO);
	if (p->on)
		p->start = p->last = clock_now();
}

/* "12.4M" style counts keep the line short and steady. */
static void human(char *out, size_t cap, double v)
{
	if (v >= 1e9)
		snprintf(out, cap, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(out, cap, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(out, cap, "%.0fk", v / 1e3);
	else
		snprintf(out, cap, "%.0f", v);
}

static void draw(struct progress *p, double t)
{
	char rows[32], tail[64] = "";
	double secs = t - p->start;
	double rate = secs > 0 ? (double)p->bytes / secs / 1e6 : 0;
	human(rows, sizeof rows, (double)p->rows);
	if (p->total && p->bytes <= p->total && rate > 0) {
		double left = (double)(p->total - p->bytes) / (rate * 1e6);
		unsigned s = (unsigned)(left + 0.5);
		snprintf(tail, sizeof tail, ", %.0f%%, ETA %u:%02u",
			 100.0 * (double)p->bytes / (double)p->total, s / 60, s % 60);
	}
	fprintf(stderr, "\r%s: %s: %s rows, %.0f MB/s%s\033[K", log_prog(), p->label, rows, rate,
		tail);
	fflush(stderr);
	p->shown = 1;
}

void progress_tick(struct progress *p, uint64_t rows, uint64_t bytes)
{
	if (!p->on)
		return;
	p->rows = rows;
	p->bytes = bytes;
	if ((++p->tick & TICK_MASK) != 0)
		return;
	double t = clock_now();
	if (t - p->last < REDRAW)
		return;
	p->last = t;
	draw(p, t);
}

void progress_end(struct progress *p)
{
	if (p->on && p->shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	p->shown = 0;
}
