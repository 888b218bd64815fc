package io.vcc.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;

/** A client that left mid-request is not an error of ours: no answer, no error in the log; anything else still is. */
class ClientGoneTest {

    private final ProblemExceptionHandler handler = new ProblemExceptionHandler();

    @Test
    void aClientThatLeftMidRequestGetsNoAnswer() {
        assertThat(handler.unexpected(new ClientAbortException(new EOFException()))).isNull();
    }

    @Test
    void anythingElseUnexpectedIsAnInternalProblem() {
        assertThat(handler.unexpected(new IllegalStateException("bug")).getStatusCode().value()).isEqualTo(500);
    }
}
