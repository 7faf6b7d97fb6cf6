/* Resetting a forked child's signal handlers (see signals.h). */

#include "signals.h"

#include <signal.h>
#include <stdbool.h>

void reset_signal_handlers(void) {
	for (int s = 1; s < NSIG; s++) {
		struct sigaction old;
		if (s == SIGKILL || s == SIGSTOP || sigaction(s, NULL, &old) != 0) {
			continue;
		}
		bool caught = (old.sa_flags & SA_SIGINFO)
				      ? old.sa_sigaction != NULL
				      : old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN;
		if (caught) {
			struct sigaction dfl = {.sa_handler = SIG_DFL};
			sigemptyset(&dfl.sa_mask);
			sigaction(s, &dfl, NULL);
		}
	}
}
