package org.lepistream.loadtest.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** placeholder replaced below */
@Command(name = "scale-out", mixinStandardHelpOptions = true, description = "Scale-out measurement.")
final class ScaleOutCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
