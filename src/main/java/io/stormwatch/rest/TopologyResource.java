package io.stormwatch.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.stormwatch.amqp.Topology;

/** Every address, handler and link of this service, as JSON. */
@Path("/api/topology")
@Produces(MediaType.APPLICATION_JSON)
public class TopologyResource {

    private final Topology topology;

    public TopologyResource(Topology topology) {
        this.topology = topology;
    }

    @GET
    public Topology.View get() {
        return topology.view();
    }
}
