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

# Suivi des dossiers, envoyé à leur auteur.

file-received-subject = Votre dossier est enregistré ({ $reference })
file-received-body =
    Bonjour,

    Votre dossier est enregistré sous le code de suivi { $reference }.
    Gardez ce code : il permet de suivre le dossier en ligne ou par téléphone.

    Plateforme e-Moatinet
file-admitted-subject = Votre dossier est pris en charge ({ $reference })
file-admitted-body =
    Bonjour,

    Votre dossier { $reference } a été déclaré recevable et est à l'étude.

    Plateforme e-Moatinet
file-inadmissible-subject = Votre dossier n'est pas recevable ({ $reference })
file-inadmissible-body =
    Bonjour,

    Votre dossier { $reference } a été déclaré irrecevable. Le motif est indiqué sur la page de suivi.

    Plateforme e-Moatinet
file-information-requested-subject = Information demandée pour votre dossier ({ $reference })
file-information-requested-body =
    Bonjour,

    Des informations complémentaires sont nécessaires pour traiter votre dossier { $reference }.
    Consultez la page de suivi pour y répondre dans le délai indiqué.

    Plateforme e-Moatinet
file-answered-subject = Réponse signée à votre dossier ({ $reference })
file-answered-body =
    Bonjour,

    La réponse signée à votre dossier { $reference } est disponible sur la page de suivi.
    Vous pouvez l'évaluer et, si vous le souhaitez, la contester une fois dans le délai indiqué.

    Plateforme e-Moatinet
file-closed-subject = Votre dossier est clos ({ $reference })
file-closed-body =
    Bonjour,

    Votre dossier { $reference } est clos.

    Plateforme e-Moatinet
file-merged-subject = Votre dossier est joint à un autre ({ $reference })
file-merged-body =
    Bonjour,

    Votre dossier { $reference } traite de la même question qu'un dossier déjà ouvert : il lui a été joint, et vous en suivrez la réponse.

    Plateforme e-Moatinet

# Comptes.

account-confirm-subject = Confirmez votre adresse électronique
account-confirm-body =
    Bonjour,

    Pour activer votre compte e-Moatinet, ouvrez ce lien dans les { $hours } heures :
    { $link }

    Si vous n'avez pas demandé de compte, ignorez ce message.

    Plateforme e-Moatinet
account-exists-subject = Vous avez déjà un compte
account-exists-body =
    Bonjour,

    Une inscription vient d'être demandée avec cette adresse, qui a déjà un compte e-Moatinet.
    Si vous avez oublié votre mot de passe, demandez-en un nouveau depuis la page de connexion.

    Plateforme e-Moatinet
password-reset-subject = Nouveau mot de passe
password-reset-body =
    Bonjour,

    Pour choisir un nouveau mot de passe, ouvrez ce lien dans les { $minutes } minutes :
    { $link }

    Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.

    Plateforme e-Moatinet
invitation-subject = Votre compte d'agent e-Moatinet
invitation-body =
    Bonjour,

    Un compte d'agent a été ouvert pour vous sur e-Moatinet. Choisissez votre mot de passe en
    ouvrant ce lien dans les { $hours } heures :
    { $link }

    Plateforme e-Moatinet
