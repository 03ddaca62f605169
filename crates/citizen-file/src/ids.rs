//! The identifiers of this bounded context. They are minted at the edge (gateway, importer,
//! tests) and arrive in commands; handlers never mint them.

kernel::define_id!(
    /// A citizen file: a petition, a guidance request, a suggestion or a notification.
    FileId
);

kernel::define_id!(
    /// One referral of a file to a structure: a link of the chain of custody.
    ReferralId
);

kernel::define_id!(
    /// A forum topic (decree 2019-1242 art. 11).
    TopicId
);

kernel::define_id!(
    /// A message posted in a forum topic.
    PostId
);
