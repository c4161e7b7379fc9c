package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The orchestrator's own address opens the console (the JSON API lives beside it: /jobs, /runs, ...). */
@Path("/")
public class ConsoleRoot {

    @GET
    public Response root() {
        return Response.seeOther(URI.create(ConsolePaths.ROOT + "/jobs")).build();
    }
}
