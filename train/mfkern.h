/* mfkern.h - the SGD inner loop of the mf model: one user's run of
 * ratings against the item rows, the loop every rating update goes
 * through.
 *
 * Rows are padded to kp floats (a multiple of 8, the pad lanes zero and
 * kept zero by the update) and 32-byte aligned, so the loop has no tail.
 * For each rating j of the run, with e = mu + bu + bi[it[j]] + p . q - r[j]
 * (q the row of item slot it[j]) and g = lr * 2e (the squared error's
 * gradient times the rate), from the old values:
 *     p  <- a p - g q        q  <- a q - g p        a = 1 - lr * l2
 *     bu <- a bu - g         bi <- a bi - g
 * which is p -= lr (2e q + l2 p) written with one multiply less.  The
 * user's row stays in registers for the whole run (kp <= 64), the next
 * ratings' item rows are prefetched, and nothing is called per rating.
 *
 * The adaptive kernel (--adaptive, LIBMF's AdaGrad-like rule) gives each
 * row its own rate from its accumulated squared gradient G (gu per user,
 * gi per item, starting at 1).  For each rating, with ds = 2e and from the
 * old values:
 *     lu = lr / sqrt(Gu)                 li = lr / sqrt(Gi)
 *     gp = ds q + l2 p                   gq = ds p + l2 q
 *     gbu = ds + l2 bu                   gbi = ds + l2 bi
 *     p -= lu gp    bu -= lu gbu         q -= li gq    bi -= li gbi
 *     Gu += (sum gp^2 + gbu^2) / (k+1)   Gi += (sum gq^2 + gbi^2) / (k+1)
 * (the scalar path of model_mf.c, which ce and --y-range still take).
 *
 * Two versions with the same arithmetic order: AVX2 with fused
 * multiply-adds, used when the CPU has both, and portable C for every
 * other x86-64 (or another architecture).  FMA rounds once where the
 * portable code rounds twice, so the two give slightly different bits;
 * either is deterministic, and the one a run uses is fixed by the CPU.
 */
#ifndef GL_TRAIN_MFKERN_H
#define GL_TRAIN_MFKERN_H

#include <stddef.h>
#include <stdint.h>

/* Round k up to the row width the kernel wants. */
static inline uint32_t mfk_pad(uint32_t k) { return (k + 7u) & ~7u; }

struct mfk_run {
	float *p;            /* the user's row, kp floats, 32-byte aligned */
	float *bu;           /* the user's bias */
	float *gu;           /* adaptive: the user's G */
	float *Q;            /* item rows by slot, kp floats each, 32-byte aligned */
	float *bi;           /* item biases by slot */
	float *gi;           /* adaptive: item G by slot */
	const uint32_t *it;  /* n item slots */
	const float *r;      /* n ratings */
	size_t n;
};

struct mfk_par {
	uint32_t kp;         /* row width, a multiple of 8 */
	uint32_t k;          /* factors (adaptive: G averages over k + 1) */
	float mu, lr, l2;
};

/* Run the updates of s[0] and, when n is 2, of s[1] (another user
 * against the same Q and bi) interleaved rating by rating, then the rest
 * of the longer run: two independent chains of updates for the CPU to
 * overlap.  Returns the sum of e^2 (the squared errors before each
 * update). */
typedef double (*mfk_fn)(const struct mfk_par *c, const struct mfk_run *s, int n);

/* The version for this CPU; *name says which ("avx2+fma" or "portable"). */
mfk_fn mfk_select(const char **name);

/* The adaptive kernel for this CPU, the same way. */
mfk_fn mfk_select_adaptive(const char **name);

/* The portable versions (tests compare them with the others). */
double mfk_portable(const struct mfk_par *c, const struct mfk_run *s, int n);
double mfk_portable_adaptive(const struct mfk_par *c, const struct mfk_run *s, int n);

#endif
