/**
 * Python code the harness runs first: the child's lifetime is bounded by its parent's and by its
 * own clock, whatever happens to the parent (killed with SIGKILL, frozen, its timer never firing).
 *
 * - `PR_SET_PDEATHSIG` (Linux): the kernel sends the child SIGKILL when the parent dies.
 * - A thread blocked on stdin, the read end of a pipe only the parent holds open: end of file
 *   means the parent is gone (or it closed the pipe), and the child kills itself. It covers a
 *   parent that died before `prctl` ran, a `python3` wrapper that forks, and kernels without
 *   `prctl`. A C extension holding the GIL delays it; the kernel layers do not wait.
 * - Its own deadline, a little after the parent's: `ITIMER_REAL` with SIGALRM left at its default
 *   action (the kernel ends the process, no Python code needs to run), and `RLIMIT_CPU` (SIGXCPU,
 *   then SIGKILL at the hard limit). The sandbox's seccomp filter then refuses `setrlimit`,
 *   `prlimit64` with a new limit, `setitimer`, `alarm` and `prctl(PR_SET_PDEATHSIG)`, so the logic
 *   cannot lift any of it.
 */
export const PYTHON_LIFETIME = String.raw`
import math, signal, threading

def tie_to_parent(config):
    """Returns the layers that apply: 'pdeathsig' and/or 'parent-pipe'."""
    layers = []
    try:
        if ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0:
            layers.append("pdeathsig")
    except Exception:
        pass
    if config.get("parent_pipe"):
        def watch():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            os.kill(os.getpid(), signal.SIGKILL)
        threading.Thread(target=watch, name="hekima-parent-watch", daemon=True).start()
        layers.append("parent-pipe")
    return layers

def limit_time(deadline_ms):
    """The child's own deadline: wall clock (SIGALRM, default action) and CPU time (RLIMIT_CPU)."""
    if not deadline_ms:
        return []
    seconds = deadline_ms / 1000.0
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    layers = ["itimer"]
    try:
        import resource
        # CPU time counts from the process's start (interpreter start-up, imports): the limit is
        # what was used so far plus the deadline plus one second, so on an idle machine the wall
        # clock (SIGALRM) ends a busy loop first and RLIMIT_CPU only backs it up.
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = int(math.ceil(used.ru_utime + used.ru_stime + seconds)) + 1
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard != resource.RLIM_INFINITY:
            cpu = min(cpu, max(hard - 1, 1))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1 if hard == resource.RLIM_INFINITY else hard))
        layers.append("rlimit-cpu")
    except Exception as error:
        sys.stderr.write("hekima: CPU time limit not applied: %s\n" % error)
    return layers
`;
