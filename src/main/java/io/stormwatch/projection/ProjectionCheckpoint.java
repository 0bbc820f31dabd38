package io.stormwatch.projection;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** How far a projection has applied the event log; updated in the transaction of the rows it covers. */
@Entity
@Table(name = "projection_checkpoint")
public class ProjectionCheckpoint extends PanacheEntityBase {

    @Id
    public String name;

    public long position;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
