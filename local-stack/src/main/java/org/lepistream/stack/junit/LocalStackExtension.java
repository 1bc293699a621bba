package org.lepistream.stack.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.lepistream.stack.LocalStack;

/**
 * Gives tests a running {@link LocalStack}: {@code @ExtendWith(LocalStackExtension.class)} and a {@code LocalStack}
 * parameter (constructor, lifecycle or test method).
 *
 * <p>One temporary stack per test JVM, started by the first test that asks and shared by all (starting one costs
 * seconds); it is stopped and deleted when the test run ends. It never writes the user's stack descriptor, so a
 * developer's own {@code lepistream stack} is neither seen nor disturbed. Tests sharing it should use their own
 * topics, consumer groups and application ids (or read from known offsets) to stay independent.
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SharedStack shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class, k -> SharedStack.start(), SharedStack.class);
        return shared.get();
    }

    /** The JVM-wide stack, or why it could not start (remembered so later tests fail fast instead of retrying). */
    private static final class SharedStack implements ExtensionContext.Store.CloseableResource {
        private final LocalStack stack;
        private final RuntimeException failure;

        private SharedStack(LocalStack stack, RuntimeException failure) {
            this.stack = stack;
            this.failure = failure;
        }

        static SharedStack start() {
            try {
                return new SharedStack(LocalStack.startTemporary(), null);
            } catch (RuntimeException e) {
                return new SharedStack(null, e);
            }
        }

        LocalStack get() {
            if (failure != null) {
                throw new ParameterResolutionException("the shared local stack failed to start: " + failure.getMessage(),
                        failure);
            }
            return stack;
        }

        @Override
        public void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
