# Messages envoyés par la plateforme (rappels, échéances dépassées, suivi des dossiers).

obligation-file-reply = la réponse au dossier
obligation-file-first-response = la première réponse au courriel (48 heures)
obligation-referral-reply = la réponse au dossier transmis
obligation-cso-regularisation = la régularisation de la situation de l'association
obligation-opinions-committee-report = le rapport de la commission avant la session
obligation-opinions-summary-posting = l'affichage du résumé des rapports
obligation-opinions-summary-display = le maintien de l'affichage du résumé
obligation-watcher-corrective-action = l'action corrective annoncée
obligation-other = l'obligation

reminder-subject = Rappel : { $what } ({ $reference })
reminder-body =
    Bonjour,

    Ceci est un rappel : { $what } (référence { $reference }) est attendu au plus tard le { $due }.

    Plateforme e-Moatinet

overdue-subject = Échéance dépassée : { $what } ({ $reference })
overdue-body =
    Bonjour,

    L'échéance du { $due } est dépassée : { $what } (référence { $reference }) n'a pas été accompli.
    Ce retard est signalé à l'échelon supérieur.

    Plateforme e-Moatinet

escalation-subject = Retard signalé : { $what } ({ $reference })
escalation-body =
    Bonjour,

    Pour suivi : { $what } (référence { $reference }), attendu au plus tard le { $due }, n'a pas été accompli.
    Niveau de signalement : { $level }.

    Plateforme e-Moatinet
