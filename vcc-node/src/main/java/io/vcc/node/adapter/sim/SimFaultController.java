package io.vcc.node.adapter.sim;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Arms and clears simulated faults; exists only where the simulated cloud runs. */
@RestController
@RequestMapping("/node/v1/sim/faults")
class SimFaultController {

    private final SimFaults faults;

    SimFaultController(SimFaults faults) {
        this.faults = faults;
    }

    record FaultRequest(@NotBlank String operation, @Min(0) @Max(1000) int times) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void arm(@Valid @RequestBody FaultRequest request) {
        faults.failNext(request.operation(), request.times());
    }

    @GetMapping
    Map<String, Integer> pending() {
        return faults.pending();
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clear() {
        faults.clear();
    }
}
