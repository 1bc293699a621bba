package org.lepistream.review.labels;

import org.lepistream.schemas.ExpertLabel;

/** Where labels go: returns once the label is durably written, throws when it could not be. */
@FunctionalInterface
public interface LabelSink {
    void send(ExpertLabel label);
}
