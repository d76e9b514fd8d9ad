using System.Text;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage;

/// <summary>
/// The schema of the homeserver (DESIGN.md §3), the same on every database. Each provider has a subclass so that
/// it keeps a migration history of its own.
/// </summary>
public abstract class HomeserverDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<RoomEntity> Rooms => Set<RoomEntity>();

    public DbSet<RoomAliasEntity> RoomAliases => Set<RoomAliasEntity>();

    public DbSet<StateKeyEntity> StateKeys => Set<StateKeyEntity>();

    public DbSet<EventEntity> Events => Set<EventEntity>();

    public DbSet<EventEdgeEntity> EventEdges => Set<EventEdgeEntity>();

    public DbSet<EventAuthEdgeEntity> EventAuthEdges => Set<EventAuthEdgeEntity>();

    public DbSet<ForwardExtremityEntity> ForwardExtremities => Set<ForwardExtremityEntity>();

    public DbSet<StateSnapshotEntity> StateSnapshots => Set<StateSnapshotEntity>();

    public DbSet<PartialStateRoomEntity> PartialStateRooms => Set<PartialStateRoomEntity>();

    public DbSet<StateSnapshotEntryEntity> StateSnapshotEntries => Set<StateSnapshotEntryEntity>();

    public DbSet<CurrentStateEntity> CurrentState => Set<CurrentStateEntity>();

    public DbSet<RoomMembershipEntity> RoomMemberships => Set<RoomMembershipEntity>();

    public DbSet<ReceiptEntity> Receipts => Set<ReceiptEntity>();

    public DbSet<AccountDataEntity> AccountData => Set<AccountDataEntity>();

    public DbSet<ToDeviceMessageEntity> ToDeviceMessages => Set<ToDeviceMessageEntity>();

    public DbSet<DeviceListChangeEntity> DeviceListChanges => Set<DeviceListChangeEntity>();

    public DbSet<PresenceEntity> Presence => Set<PresenceEntity>();

    public DbSet<FederationOutboxEntity> FederationOutbox => Set<FederationOutboxEntity>();

    public DbSet<UserEntity> Users => Set<UserEntity>();

    public DbSet<RemoteDeviceListEntity> RemoteDeviceLists => Set<RemoteDeviceListEntity>();

    public DbSet<DeviceEntity> Devices => Set<DeviceEntity>();

    public DbSet<DehydratedDeviceEntity> DehydratedDevices => Set<DehydratedDeviceEntity>();

    public DbSet<ProfileFieldEntity> ProfileFields => Set<ProfileFieldEntity>();

    public DbSet<RegistrationTokenEntity> RegistrationTokens => Set<RegistrationTokenEntity>();

    public DbSet<OpenIdTokenEntity> OpenIdTokens => Set<OpenIdTokenEntity>();

    public DbSet<AccessTokenEntity> AccessTokens => Set<AccessTokenEntity>();

    public DbSet<FilterEntity> Filters => Set<FilterEntity>();

    public DbSet<TransactionIdEntity> TransactionIds => Set<TransactionIdEntity>();

    public DbSet<ServerSigningKeyEntity> ServerSigningKeys => Set<ServerSigningKeyEntity>();

    public DbSet<RemoteServerKeyEntity> RemoteServerKeys => Set<RemoteServerKeyEntity>();

    public DbSet<MediaEntity> Media => Set<MediaEntity>();
    public DbSet<DeviceKeysEntity> DeviceKeys => Set<DeviceKeysEntity>();

    public DbSet<OneTimeKeyEntity> OneTimeKeys => Set<OneTimeKeyEntity>();

    public DbSet<FallbackKeyEntity> FallbackKeys => Set<FallbackKeyEntity>();

    public DbSet<CrossSigningKeyEntity> CrossSigningKeys => Set<CrossSigningKeyEntity>();

    public DbSet<KeySignatureEntity> KeySignatures => Set<KeySignatureEntity>();

    public DbSet<KeyBackupVersionEntity> KeyBackupVersions => Set<KeyBackupVersionEntity>();

    public DbSet<KeyBackupKeyEntity> KeyBackupKeys => Set<KeyBackupKeyEntity>();

    public DbSet<ToDeviceTransactionEntity> ToDeviceTransactions => Set<ToDeviceTransactionEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Room engine: numeric IDs, the DAG, state snapshots as delta chains, current state.
        modelBuilder.Entity<RoomEntity>(e =>
        {
            e.ToTable("rooms").HasKey(r => r.RoomNid);
            e.HasIndex(r => r.RoomId).IsUnique();
        });
        modelBuilder.Entity<RoomAliasEntity>(e =>
        {
            e.ToTable("room_aliases").HasKey(a => a.Alias);
            e.HasIndex(a => a.RoomId);
        });
        modelBuilder.Entity<StateKeyEntity>(e =>
        {
            e.ToTable("state_keys").HasKey(k => k.StateKeyNid);
            e.HasIndex(k => new { k.EventType, k.StateKey }).IsUnique();
        });
        modelBuilder.Entity<EventEntity>(e =>
        {
            e.ToTable("events").HasKey(ev => ev.EventNid);
            e.HasIndex(ev => ev.EventId).IsUnique();
            e.HasIndex(ev => ev.StreamOrdering).IsUnique();
            e.HasIndex(ev => new { ev.RoomNid, ev.StreamOrdering });
            e.HasIndex(ev => new { ev.RoomNid, ev.Depth });
            // timestamp_to_event: the closest event to a time, found in the index rather than by reading the room.
            e.HasIndex(ev => new { ev.RoomNid, ev.OriginServerTs });
        });
        modelBuilder.Entity<EventEdgeEntity>(e =>
        {
            e.ToTable("event_edges").HasKey(x => new { x.EventNid, x.PrevEventNid });
            e.HasIndex(x => x.PrevEventNid);
        });
        modelBuilder.Entity<EventAuthEdgeEntity>(e =>
        {
            e.ToTable("event_auth_edges").HasKey(x => new { x.EventNid, x.AuthEventNid });
        });
        modelBuilder.Entity<ForwardExtremityEntity>(e => e.ToTable("forward_extremities").HasKey(x => new { x.RoomNid, x.EventNid }));
        modelBuilder.Entity<PartialStateRoomEntity>(e =>
        {
            e.ToTable("partial_state_rooms").HasKey(x => x.RoomNid);
            e.Property(x => x.RoomNid).ValueGeneratedNever();
        });
        modelBuilder.Entity<StateSnapshotEntity>(e =>
        {
            e.ToTable("state_snapshots").HasKey(s => s.SnapshotNid);
            e.HasIndex(s => new { s.RoomNid, s.StateHash });
        });
        modelBuilder.Entity<StateSnapshotEntryEntity>(e => e.ToTable("state_snapshot_entries").HasKey(x => new { x.SnapshotNid, x.StateKeyNid }));
        modelBuilder.Entity<CurrentStateEntity>(e => e.ToTable("current_state").HasKey(x => new { x.RoomNid, x.StateKeyNid }));
        modelBuilder.Entity<RoomMembershipEntity>(e =>
        {
            e.ToTable("room_memberships").HasKey(m => new { m.RoomNid, m.UserId });
            e.HasIndex(m => new { m.UserId, m.Membership });
            // For /sync's device lists: the membership changes in a room since a position of the event stream.
            e.HasIndex(m => new { m.RoomNid, m.StreamOrdering });
        });

        // Streams: each row carries its position in its stream.
        modelBuilder.Entity<ReceiptEntity>(e =>
        {
            e.ToTable("receipts").HasKey(r => r.StreamPosition);
            e.HasIndex(r => new { r.RoomNid, r.UserId, r.ReceiptType, r.ThreadId }).IsUnique();
        });
        modelBuilder.Entity<AccountDataEntity>(e =>
        {
            e.ToTable("account_data").HasKey(a => a.StreamPosition);
            e.HasIndex(a => new { a.UserId, a.RoomNid, a.Type }).IsUnique();
        });
        modelBuilder.Entity<ToDeviceMessageEntity>(e =>
        {
            e.ToTable("to_device_messages").HasKey(t => t.StreamPosition);
            e.HasIndex(t => new { t.UserId, t.DeviceId, t.StreamPosition });
        });
        modelBuilder.Entity<DeviceListChangeEntity>(e =>
        {
            e.ToTable("device_list_changes").HasKey(d => d.StreamPosition);
            e.HasIndex(d => d.UserId);
        });
        modelBuilder.Entity<PresenceEntity>(e =>
        {
            e.ToTable("presence").HasKey(p => p.UserId);
            e.HasIndex(p => p.StreamPosition);
        });
        modelBuilder.Entity<FederationOutboxEntity>(e =>
        {
            e.ToTable("federation_outbox").HasKey(f => f.Position);
            e.HasIndex(f => new { f.Destination, f.Position });
        });

        // Accounts and keys.
        modelBuilder.Entity<UserEntity>(e => e.ToTable("users").HasKey(u => u.UserId));
        modelBuilder.Entity<DeviceEntity>(e => e.ToTable("devices").HasKey(d => new { d.UserId, d.DeviceId }));
        modelBuilder.Entity<DehydratedDeviceEntity>(e => e.ToTable("dehydrated_devices").HasKey(d => d.UserId));
        modelBuilder.Entity<ProfileFieldEntity>(e => e.ToTable("profile_fields").HasKey(f => new { f.UserId, f.Key }));
        modelBuilder.Entity<RegistrationTokenEntity>(e => e.ToTable("registration_tokens").HasKey(t => t.Token));
        modelBuilder.Entity<OpenIdTokenEntity>(e =>
        {
            e.ToTable("openid_tokens").HasKey(t => t.TokenHash);
            e.HasIndex(t => t.ExpiresTs);
        });
        modelBuilder.Entity<AccessTokenEntity>(e =>
        {
            e.ToTable("access_tokens").HasKey(t => t.TokenHash);
            e.HasIndex(t => new { t.UserId, t.DeviceId });
            e.HasIndex(t => t.RefreshTokenHash).IsUnique();
            e.HasIndex(t => t.PreviousTokenHash);
        });
        modelBuilder.Entity<FilterEntity>(e => e.ToTable("filters").HasKey(f => new { f.UserId, f.FilterId }));
        modelBuilder.Entity<TransactionIdEntity>(e =>
        {
            e.ToTable("transaction_ids").HasKey(t => new { t.UserId, t.DeviceId, t.TransactionId });
            // Events read back for their sender's device carry the transaction ID it chose (unsigned.transaction_id).
            e.HasIndex(t => t.EventId);
        });
        modelBuilder.Entity<ServerSigningKeyEntity>(e => e.ToTable("server_signing_keys").HasKey(k => k.KeyId));
        modelBuilder.Entity<RemoteServerKeyEntity>(e => e.ToTable("remote_server_keys").HasKey(k => new { k.ServerName, k.KeyId }));

        // Content repository: metadata here, bytes on disk by content hash.
        modelBuilder.Entity<MediaEntity>(e =>
        {
            e.ToTable("media").HasKey(m => new { m.ServerName, m.MediaId });
            e.HasIndex(m => m.Sha256);
            e.HasIndex(m => new { m.UploaderUserId, m.CreatedTs });
        });
        // End-to-end encryption: device keys, one-time and fallback keys, cross-signing, key backup.
        modelBuilder.Entity<DeviceKeysEntity>(e => e.ToTable("device_keys").HasKey(k => new { k.UserId, k.DeviceId }));
        modelBuilder.Entity<OneTimeKeyEntity>(e =>
        {
            e.ToTable("one_time_keys").HasKey(k => k.Id);
            e.HasIndex(k => new { k.UserId, k.DeviceId, k.Algorithm, k.KeyId }).IsUnique();
        });
        modelBuilder.Entity<FallbackKeyEntity>(e => e.ToTable("fallback_keys").HasKey(k => new { k.UserId, k.DeviceId, k.Algorithm }));
        modelBuilder.Entity<CrossSigningKeyEntity>(e => e.ToTable("cross_signing_keys").HasKey(k => new { k.UserId, k.KeyType }));
        modelBuilder.Entity<KeySignatureEntity>(e =>
            e.ToTable("key_signatures").HasKey(s => new { s.TargetUserId, s.TargetKeyId, s.SignerUserId, s.SignerKeyId }));
        modelBuilder.Entity<KeyBackupVersionEntity>(e => e.ToTable("key_backup_versions").HasKey(v => new { v.UserId, v.Version }));
        modelBuilder.Entity<KeyBackupKeyEntity>(e => e.ToTable("key_backup_keys").HasKey(k => new { k.UserId, k.Version, k.RoomId, k.SessionId }));
        modelBuilder.Entity<ToDeviceTransactionEntity>(e =>
            e.ToTable("to_device_transactions").HasKey(t => new { t.UserId, t.DeviceId, t.TransactionId }));
        modelBuilder.Entity<RemoteDeviceListEntity>(e => e.ToTable("remote_device_lists").HasKey(l => l.UserId));

        // Values the writers allocate themselves: stream positions come from StreamPositions, so that they commit in
        // order, and the room engine, the only writer of its tables, numbers rooms, events, state keys and snapshots.
        modelBuilder.Entity<FilterEntity>().Property(f => f.FilterId).ValueGeneratedNever();
        modelBuilder.Entity<PresenceEntity>().Property(p => p.StreamPosition).ValueGeneratedNever();
        modelBuilder.Entity<ReceiptEntity>().Property(r => r.StreamPosition).ValueGeneratedNever();
        modelBuilder.Entity<AccountDataEntity>().Property(a => a.StreamPosition).ValueGeneratedNever();
        modelBuilder.Entity<ToDeviceMessageEntity>().Property(t => t.StreamPosition).ValueGeneratedNever();
        modelBuilder.Entity<DeviceListChangeEntity>().Property(d => d.StreamPosition).ValueGeneratedNever();
        modelBuilder.Entity<RoomEntity>().Property(r => r.RoomNid).ValueGeneratedNever();
        modelBuilder.Entity<EventEntity>().Property(e => e.EventNid).ValueGeneratedNever();
        modelBuilder.Entity<StateKeyEntity>().Property(k => k.StateKeyNid).ValueGeneratedNever();
        modelBuilder.Entity<StateSnapshotEntity>().Property(s => s.SnapshotNid).ValueGeneratedNever();
        modelBuilder.Entity<KeyBackupVersionEntity>().Property(v => v.Version).ValueGeneratedNever();

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
