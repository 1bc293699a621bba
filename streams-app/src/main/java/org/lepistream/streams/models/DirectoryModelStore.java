package org.lepistream.streams.models;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.lepistream.schemas.ModelRelease;

/**
 * The default model store: bundles are directories on a local or mounted file system. A release's bundleUri is
 * either a {@code file:} URI or a path, resolved against the store's root when relative.
 */
public final class DirectoryModelStore implements ModelStore {

    private final Path root;

    public DirectoryModelStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public Path locate(ModelRelease release) {
        String uri = release.getBundleUri();
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("release " + release.getVersion() + " has no bundleUri");
        }
        if (uri.startsWith("file:")) {
            try {
                return Path.of(new URI(uri)).toAbsolutePath().normalize();
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("release " + release.getVersion() + " has an invalid file URI '"
                        + uri + "': " + e.getMessage());
            }
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("release " + release.getVersion() + ": the directory model store cannot"
                    + " fetch '" + uri + "' (only file: URIs and paths)");
        }
        return root.resolve(uri).toAbsolutePath().normalize();
    }
}
