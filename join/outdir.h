/* outdir.h - the output folder of a tool that writes several files. */
#ifndef GL_OUTDIR_H
#define GL_OUTDIR_H

/* Create dir if it does not exist (its parent must).  0, or GL_EIO when
 * it cannot be made or is not a folder (logged). */
int outdir_make(const char *dir);

#endif
