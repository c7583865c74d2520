from policybrief.cli import main

raise SystemExit(main())
