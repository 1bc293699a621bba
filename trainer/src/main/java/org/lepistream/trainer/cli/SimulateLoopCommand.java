package org.lepistream.trainer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "simulate-loop", mixinStandardHelpOptions = true, description = "placeholder")
final class SimulateLoopCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
