/* train_gen - write a planted ratings file for bench/train.sh and print its
 * noise floor.
 *
 * usage: train_gen OUT.glr USERS ITEMS PER_USER [FACTORS NOISE SEED]
 *        train_gen --version
 * prints: floor_rmse=X floor_mae=Y n_valid=N (the floor of the validation
 * ratings, test_train_planted.h)
 *
 * TRAIN_GEN_VERSION goes into the names of cached inputs (bench/train.sh,
 * train_scale.sh): bump it whenever the bytes written for the same
 * arguments change, here or in test_train_planted.h or etl/sample_model.c.
 */
#include "../tests/unit/test_train_planted.h"

#include "log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define TRAIN_GEN_VERSION 1

int main(int argc, char **argv)
{
	struct planted p;
	log_init("train_gen", LOG_NORMAL);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%d\n", TRAIN_GEN_VERSION);
		return 0;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: train_gen OUT.glr USERS ITEMS PER_USER [FACTORS NOISE SEED]\n");
		return 2;
	}
	planted_defaults(&p);
	p.users = (uint32_t)strtoul(argv[2], NULL, 10);
	p.items = (uint32_t)strtoul(argv[3], NULL, 10);
	p.per_user = (uint32_t)strtoul(argv[4], NULL, 10);
	if (argc > 5)
		p.factors = (uint32_t)strtoul(argv[5], NULL, 10);
	if (argc > 6)
		p.noise = strtod(argv[6], NULL);
	if (argc > 7)
		p.seed = strtoull(argv[7], NULL, 10);
	if (planted_write(argv[1], &p))
		return 1;
	printf("floor_rmse=%.6f floor_mae=%.6f truth_rmse=%.6f n_valid=%" PRIu64 "\n", p.floor_rmse,
	       p.floor_mae, p.truth_rmse, p.n_valid);
	return 0;
}
