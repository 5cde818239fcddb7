/* tests/fuzz/replay.c: a main for a fuzz target built without libFuzzer.
 * Feeds each FILE (or each file in each DIRECTORY) to
 * LLVMFuzzerTestOneInput once; prints how many. A crash ends it with the
 * sanitizer's report. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		perror(path);
		exit(2);
	}
	/* exactly N bytes, so that reads past the input are caught */
	if (!(buf = malloc(n ? (size_t)n : 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	fprintf(stderr, "replay: %s (%ld bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 1;
}

int main(int argc, char **argv)
{
	char path[4096];
	struct dirent *e;
	struct stat st;
	int i, n = 0;
	DIR *d;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			n += replay_file(argv[i]);
			continue;
		}
		if (!(d = opendir(argv[i]))) {
			perror(argv[i]);
			return 2;
		}
		while ((e = readdir(d))) {
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
				n += replay_file(path);
		}
		closedir(d);
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
