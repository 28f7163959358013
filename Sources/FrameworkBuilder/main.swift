print("framework builder")
