/**
 * The seed documents' Node.js socket programs, ported to Switchboard and speaking the same wire format, so the
 * book's programs and these can be mixed: run {@code switchboard example} for the list, {@code switchboard example
 * NAME --help} for one. {@link io.switchboard.examples.ExamplesCommand} is the entry point; everything else here is
 * one example each. See {@code docs/patterns/} for the patterns they show.
 */
package io.switchboard.examples;
