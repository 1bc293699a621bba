/** The expert review console: queue, claims, labels, web pages. */
package org.lepistream.review;
