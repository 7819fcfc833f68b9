/**
 * Python code the harness runs before it imports anything of the logic (ADR 0015): it confines the
 * process, and every process it starts, to reading its inputs, the logic's folder and the Python
 * installation, and to writing its run directory.
 *
 * Layers, strongest first:
 * - Landlock (Linux ≥ 5.13, no root needed): file-system access outside the allowed trees is
 *   denied by the kernel (EACCES), TCP bind/connect too (ABI ≥ 4), signals and abstract UNIX
 *   sockets outside the sandbox (ABI ≥ 6). Irreversible, inherited by children, immune to ctypes.
 * - seccomp: `socket()` (any family, so no path-named UNIX socket to a local database either),
 *   io_uring and new processes (fork, vfork, clone without CLONE_THREAD; clone3 answers ENOSYS so
 *   threads fall back to clone) are refused (EACCES); so are foreign-architecture system calls and
 *   changes to the limits the harness set (setrlimit, prlimit64 with a new limit, setitimer, alarm,
 *   prctl(PR_SET_PDEATHSIG); python-lifetime.ts).
 * - an audit hook (`sys.addaudithook`): the same rules checked in Python with a message naming the
 *   file; processes cannot be started. In-process only (ctypes can bypass it): it explains, the
 *   kernel enforces.
 */
export const PYTHON_SANDBOX = String.raw`
import ctypes, os, site, struct, sys

_FS_READ_FILE = (1 << 0) | (1 << 2)                 # EXECUTE, READ_FILE
_FS_READ_DIR = _FS_READ_FILE | (1 << 3)             # + READ_DIR
_FS_WRITE_FILE = _FS_READ_FILE | (1 << 1) | (1 << 14) # + WRITE_FILE, TRUNCATE
# System call numbers: the ones the filter refuses or inspects (fork/vfork do not exist on aarch64).
_NATIVE = {"x86_64": (0xC000003E, {"socket": (41,), "io_uring": (425, 426, 427), "clone": 56, "clone3": 435,
                                   "fork": (57, 58), "prctl": 157, "setrlimit": (160,), "prlimit64": 302,
                                   "timers": (37, 38)}),
           "aarch64": (0xC00000B7, {"socket": (198,), "io_uring": (425, 426, 427), "clone": 220, "clone3": 435,
                                    "fork": (), "prctl": 167, "setrlimit": (164,), "prlimit64": 261,
                                    "timers": (103,)})}

def _real(path):
    return os.path.realpath(os.fsdecode(path))

def _python_roots():
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots.update(p for p in sys.path if p)
    try:
        roots.update(site.getsitepackages())
        roots.add(site.getusersitepackages())
    except Exception:
        pass
    home = _real(os.path.expanduser("~"))
    out = set()
    for root in roots:
        real = _real(root)
        # Never a top-level folder ("/", "/usr", "/tmp", "/root") or a home folder itself.
        if real.count("/") >= 2 and real != home and os.path.exists(real):
            out.add(real)
    return out

def sandbox_paths(config):
    read = set(_python_roots())
    read.update(_real(p) for p in config.get("read", []))
    for p in ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
              "/usr/lib/locale", "/etc/ld.so.cache", "/etc/localtime", "/dev/urandom", "/dev/zero"):
        if os.path.exists(p):
            read.add(_real(p))
    write = {_real(p) for p in config.get("write", [])}
    write.add(_real("/dev/null"))
    return sorted(read), sorted(write)

def _inside(path, roots):
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)

def _landlock(read, write):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    if abi < 1:
        return None, "landlock unavailable (errno %d)" % ctypes.get_errno()
    fs = (1 << 13) - 1
    if abi >= 2: fs |= 1 << 13
    if abi >= 3: fs |= 1 << 14
    if abi >= 5: fs |= 1 << 15
    net = 3 if abi >= 4 else 0
    scoped = 3 if abi >= 6 else 0
    attr = struct.pack("QQQ", fs, net, scoped)
    size = 24 if abi >= 6 else (16 if abi >= 4 else 8)
    buf = ctypes.create_string_buffer(attr[:size], size)
    ruleset = libc.syscall(444, buf, ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return None, "landlock_create_ruleset failed (errno %d)" % ctypes.get_errno()
    try:
        for paths, writable in ((read, False), (write, True)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    is_dir = os.path.isdir(path)
                    if writable:
                        access = fs if is_dir else _FS_WRITE_FILE
                    else:
                        access = _FS_READ_DIR if is_dir else _FS_READ_FILE
                    rule = ctypes.create_string_buffer(struct.pack("=Qi", access & fs, fd), 12)
                    if libc.syscall(445, ruleset, 1, rule, 0) != 0:
                        return None, "landlock_add_rule %s failed (errno %d)" % (path, ctypes.get_errno())
                finally:
                    os.close(fd)
        if libc.prctl(38, 1, 0, 0, 0) != 0:
            return None, "no_new_privs failed"
        if libc.syscall(446, ruleset, 0) != 0:
            return None, "landlock_restrict_self failed (errno %d)" % ctypes.get_errno()
    finally:
        os.close(ruleset)
    return abi, None

def _bpf(program):
    """Assembles (op, k, jump-if-true label, jump-if-false label) and 'label' items into BPF."""
    labels, code = {}, []
    for item in program:
        if isinstance(item, str):
            labels[item] = len(code)
        else:
            code.append(item)
    out = []
    for i, (op, k, jt, jf) in enumerate(code):
        rel = lambda target: 0 if target is None else labels[target] - i - 1
        out.append(struct.pack("HBBI", op, rel(jt), rel(jf), k))
    return out

def _seccomp():
    import platform
    native = _NATIVE.get(platform.machine())
    if native is None:
        return "seccomp: unknown architecture %s" % platform.machine()
    arch, nr = native
    LD, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
    ARG0, ARG2_LO, ARG2_HI = 16, 32, 36
    CLONE_THREAD, PR_SET_PDEATHSIG = 0x10000, 1
    deny = lambda n: (JEQ, n, "deny", None)
    prog = [(LD, 4, None, None), (JEQ, arch, None, "deny"), (LD, 0, None, None), (JGE, 0x40000000, "deny", None)]
    # No sockets (no network, no UNIX socket to a local database), no io_uring, no new process
    # (threads only), and the child's limits stay as the harness set them (its deadline, memory,
    # and the signal it gets when its parent dies).
    prog += [deny(n) for n in (*nr["socket"], *nr["io_uring"], *nr["fork"], *nr["setrlimit"], *nr["timers"])]
    prog += [(JEQ, nr["clone3"], "enosys", None), (JEQ, nr["clone"], "clone", None),
             (JEQ, nr["prctl"], "prctl", None), (JEQ, nr["prlimit64"], "prlimit", None), (RET, 0x7FFF0000, None, None)]
    prog += ["clone", (LD, ARG0, None, None), (JSET, CLONE_THREAD, "allow", "deny")]
    prog += ["prctl", (LD, ARG0, None, None), (JEQ, PR_SET_PDEATHSIG, "deny", "allow")]
    prog += ["prlimit", (LD, ARG2_LO, None, None), (JEQ, 0, None, "deny"), (LD, ARG2_HI, None, None),
             (JEQ, 0, "allow", "deny")]
    # clone3 passes its flags in memory a filter cannot read: ENOSYS makes glibc fall back to clone.
    prog += ["allow", (RET, 0x7FFF0000, None, None), "deny", (RET, 0x00050000 | 13, None, None),
             "enosys", (RET, 0x00050000 | 38, None, None)]
    code = _bpf(prog)
    filt = ctypes.create_string_buffer(b"".join(code))
    fprog = struct.pack("HxxxxxxP", len(code), ctypes.addressof(filt))
    fbuf = ctypes.create_string_buffer(fprog)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(38, 1, 0, 0, 0)
    if libc.prctl(22, 2, fbuf, 0, 0) != 0:
        return "seccomp failed (errno %d)" % ctypes.get_errno()
    return None

def _audit_hook(read, write):
    readable = list(read) + list(write)
    def deny(what):
        raise PermissionError("hekima sandbox: %s; the logic may read only its inputs, its own folder and its run directory" % what)
    def check(path, writing):
        if path is None or isinstance(path, int):
            return
        real = _real(path)
        if not _inside(real, write if writing else readable):
            deny("%s of %r is outside the sandbox" % ("writing" if writing else "reading", os.fsdecode(path)))
    def hook(event, args):
        if event == "open":
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            check(args[0], any(c in mode for c in "wax+") or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)))
        elif event in ("os.listdir", "os.scandir"):
            check(args[0] if args else None, False)
        elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.rename", "os.symlink", "os.link",
                       "os.chmod", "os.chown", "os.truncate", "os.utime"):
            check(args[0] if args else None, True)
        elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn"):
            deny("starting a process (%s) is not allowed" % event)
        elif event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.__new__"):
            deny("network access (%s) is not allowed" % event)
    sys.addaudithook(hook)

def apply_sandbox(config):
    """Returns (applied layers, problems)."""
    read, write = sandbox_paths(config)
    layers, problems = [], []
    abi, problem = _landlock(read, write)
    if abi:
        layers.append("landlock-v%d" % abi)
    else:
        problems.append(problem)
    problem = _seccomp()
    if problem:
        problems.append(problem)
    else:
        layers.append("seccomp")
    _audit_hook(read, write)
    layers.append("audit-hook")
    return layers, problems
`;
