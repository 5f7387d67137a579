/* err.h - error codes shared by every goodlens module.
 *
 * Functions below main() return 0 on success or one of these negative codes;
 * they never exit().  The message that explains an error has already been
 * written through log.h by the function that found it, so a caller only maps
 * the code to an exit status (see cli.h) or passes it up.
 */
#ifndef GL_ERR_H
#define GL_ERR_H

enum gl_err {
	GL_OK = 0,
	GL_EIO = -1,     /* a read, write, open or rename failed */
	GL_EFORMAT = -2, /* input is malformed or fails validation */
	GL_ENOMEM = -3,  /* an allocation failed */
	GL_ELIMIT = -4,  /* a documented resource limit was reached */
	GL_EUSAGE = -5,  /* the caller asked for something impossible */
	GL_EINTR = -6,   /* interrupted by SIGINT or SIGTERM */
};

/* A short lower-case description of an error code ("malformed input"). */
const char *gl_strerror(int err);

#endif
