package org.lepistream.stack;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Ends a child JVM when the process that started it is gone, however it went: a shutdown hook of the parent does not
 * run on SIGKILL, so the child has to notice by itself. Two signs, either suffices: its standard input (a pipe from
 * the parent) reaches end-of-file, which the OS guarantees when the parent dies; or the parent process is no longer
 * alive. The child then exits normally (its own shutdown hooks run, so a database is closed cleanly), and is halted
 * if that takes longer than {@link #GRACE_MILLIS}.
 *
 * <p>Self-contained on purpose (JDK classes only, no nested classes): the registry's JVM loads it from a one-class jar
 * in front of Apicurio's own main class.
 */
public final class ParentWatch {

    private static final long GRACE_MILLIS = 30_000;
    private static final long POLL_MILLIS = 1_000;

    private ParentWatch() {
    }

    /** Starts the watch (daemon threads) for this JVM. */
    public static void exitWhenStdinCloses() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // Nothing is ever sent: any byte is ignored, only the end matters.
                }
            } catch (IOException e) {
                // A broken pipe means the same as end-of-file.
            }
            exit("standard input closed");
        }, "parent-watch-stdin");
        stdin.setDaemon(true);
        stdin.start();
        parent.ifPresent(p -> {
            Thread poll = new Thread(() -> {
                while (p.isAlive()) {
                    try {
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                exit("parent process " + p.pid() + " ended");
            }, "parent-watch-pid");
            poll.setDaemon(true);
            poll.start();
        });
    }

    private static synchronized void exit(String why) {
        System.err.println("parent-watch: " + why + "; exiting");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException e) {
                // Halt at once.
            }
            Runtime.getRuntime().halt(1);
        }, "parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }

    /**
     * As a child JVM's main class: {@code ParentWatch MAIN_CLASS [ARGS...]} starts the watch, then runs
     * {@code MAIN_CLASS} with {@code ARGS}.
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatch MAIN_CLASS [ARGS...]");
        }
        exitWhenStdinCloses();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
