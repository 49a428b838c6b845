/**
 * Test helpers shared with the other modules' tests through mert4j-core's test jar.
 *
 * <p>May use: nothing but the JDK (its HTTP server included).
 */
package org.mert4j.testing;
