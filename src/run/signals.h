#ifndef TIMELINE_RUN_SIGNALS_H
#define TIMELINE_RUN_SIGNALS_H

/*
 * For a process the runner forks (a pool worker, a job's command): every
 * signal handler the parent installed back to SIG_DFL, so the child never
 * runs the parent's handlers. Signals the parent ignores stay ignored, as
 * across exec. Call with every signal blocked, right after fork().
 */
void reset_signal_handlers(void);

#endif
